// The one place that lists every rule. Order here is the order of `querylens rules` and of
// SARIF's rule array; ids never change once released.
#include "rules/rule.h"

namespace querylens {

namespace rules {
extern const Rule kSelectStar;
extern const Rule kUnpaginatedQuery;
extern const Rule kCartesianJoin;
extern const Rule kFkMissingAction;
extern const Rule kUncoveredPredicate;
extern const Rule kFkMissingIndex;
extern const Rule kNPlusOne;
extern const Rule kVolatileIndexPredicate;
extern const Rule kConcurrentIndexInTransaction;
extern const Rule kNonConcurrentIndex;
extern const Rule kDuplicateIndex;
extern const Rule kRedundantIndex;
extern const Rule kHypertableUniqueWithoutTime;
extern const Rule kMissingCompressionPolicy;
extern const Rule kMissingRetentionPolicy;
extern const Rule kMissingHypertable;
extern const Rule kContinuousAggregateCandidate;
extern const Rule kUnindexedJsonbQuery;
extern const Rule kStatusAsText;
extern const Rule kMissingUniqueConstraint;
extern const Rule kConnectionSettings;
extern const Rule kLostUpdate;
extern const Rule kAggregatePerRequest;
extern const Rule kAddingForeignKeyConstraint;
extern const Rule kConstraintMissingNotValid;
extern const Rule kAddingNotNullableField;
extern const Rule kChangingColumnType;
extern const Rule kAddingRequiredField;
extern const Rule kAddingFieldWithVolatileDefault;
extern const Rule kRequireConcurrentIndexDeletion;
extern const Rule kDisallowedUniqueConstraint;
extern const Rule kIdentifierTooLong;
extern const Rule kDropMissesTable;
extern const Rule kBanDropColumn;
extern const Rule kBanDropTable;
extern const Rule kRenamingColumn;
extern const Rule kRenamingTable;
extern const Rule kAddingSerialPrimaryKeyField;
extern const Rule kRequireLockTimeout;
extern const Rule kWriteInLoop;
extern const Rule kSchemaDrift;
extern const Rule kParseError;
extern const Rule kIoError;
extern const Rule kUnusedSuppression;
}  // namespace rules

const std::vector<const Rule*>& all_rules() {
    static const std::vector<const Rule*> registry = {
        &rules::kSelectStar,          &rules::kUnpaginatedQuery, &rules::kCartesianJoin, &rules::kFkMissingAction,
        &rules::kUncoveredPredicate, &rules::kFkMissingIndex,   &rules::kNPlusOne,      &rules::kWriteInLoop,
        &rules::kVolatileIndexPredicate, &rules::kConcurrentIndexInTransaction, &rules::kNonConcurrentIndex,
        &rules::kDuplicateIndex, &rules::kRedundantIndex, &rules::kHypertableUniqueWithoutTime,
        &rules::kMissingCompressionPolicy, &rules::kMissingRetentionPolicy, &rules::kMissingHypertable,
        &rules::kContinuousAggregateCandidate, &rules::kUnindexedJsonbQuery, &rules::kStatusAsText,
        &rules::kMissingUniqueConstraint, &rules::kConnectionSettings, &rules::kLostUpdate,
        &rules::kAggregatePerRequest,
        // Migration safety (with concurrent-index-in-transaction and non-concurrent-index above)
        &rules::kAddingForeignKeyConstraint,
        &rules::kConstraintMissingNotValid,
        &rules::kAddingNotNullableField,
        &rules::kChangingColumnType,
        &rules::kAddingRequiredField,
        &rules::kAddingFieldWithVolatileDefault,
        &rules::kRequireConcurrentIndexDeletion,
        &rules::kDisallowedUniqueConstraint,
        &rules::kIdentifierTooLong,
        &rules::kDropMissesTable,
        &rules::kBanDropColumn,
        &rules::kBanDropTable,
        &rules::kRenamingColumn,
        &rules::kRenamingTable,
        &rules::kAddingSerialPrimaryKeyField,
        &rules::kRequireLockTimeout,
        &rules::kSchemaDrift,         &rules::kParseError,       &rules::kIoError,    &rules::kUnusedSuppression,
    };
    return registry;
}

}  // namespace querylens
