// Tests for frontends/typescript/module_resolver: in-memory trees shaped like real projects.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "frontends/typescript/module_resolver.h"

using querylens::MemoryFileSystem;
using querylens::ModuleResolution;
using querylens::ModuleResolver;
using Kind = querylens::ModuleResolution::Kind;

namespace {

MemoryFileSystem tree(std::initializer_list<std::pair<const char*, const char*>> files, const char* base = "/") {
    MemoryFileSystem fs(base);
    for (const auto& [path, text] : files) fs.add_file(path, text);
    return fs;
}

bool has_problem(const ModuleResolver& r, const std::string& needle) {
    for (const auto& p : r.config_problems())
        if (p.find(needle) != std::string::npos) return true;
    return false;
}

std::string all_problems(const ModuleResolver& r) {
    std::string s;
    for (const auto& p : r.config_problems()) s += p + "\n";
    return s;
}

}  // namespace

TEST_CASE("module resolver: Next.js app with @/* -> ./src/*, relative importers keep their form") {
    auto fs = tree({
        {"/work/web/package.json", R"({"name": "web", "dependencies": {"next": "15.0.0"}})"},
        {"/work/web/tsconfig.json", R"({"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})"},
        {"/work/web/src/db/schema.ts", ""},
        {"/work/web/src/server/db/index.ts", ""},
        {"/work/web/src/app/page.tsx", ""},
        {"/work/web/src/components/Button.tsx", ""},
    }, "/work");
    ModuleResolver r(fs);
    CHECK(r.resolve("web/src/app/page.tsx", "@/db/schema").path == "web/src/db/schema.ts");
    CHECK(r.resolve("web/src/app/page.tsx", "@/server/db").path == "web/src/server/db/index.ts");
    CHECK(r.resolve("web/src/app/page.tsx", "@/components/Button").path == "web/src/components/Button.tsx");
    CHECK(r.resolve("/work/web/src/app/page.tsx", "@/db/schema").path == "/work/web/src/db/schema.ts");
    CHECK(r.tsconfig_for("web/src/app/page.tsx") == "web/tsconfig.json");

    const ModuleResolution miss = r.resolve("web/src/app/page.tsx", "@/db/nope");
    CHECK(miss.kind == Kind::NotFound);
    CHECK(miss.path.empty());
    CHECK(miss.reason.find("no file for paths alias '@/db/nope' -> './src/db/nope'") != std::string::npos);
    CHECK(r.resolve("web/src/app/page.tsx", "next/navigation").kind == Kind::ExternalPackage);
}

TEST_CASE("module resolver: paths @/* -> ./*, ~/*, exact keys first, longest prefix, substitutions in order") {
    auto fs = tree({
        {"/app/tsconfig.json", R"({
            "compilerOptions": {
                "paths": {
                    "@/*": ["./*"],
                    "~/*": ["./src/*"],
                    "@/lib/*": ["./generated/lib/*", "./lib/*"],
                    "@/stores": ["./stores"],
                    "@/stores/*": ["./stores/*"],
                    "@sim/db": ["../packages/db"],
                    "@sim/db/*": ["../packages/db/*"]
                }
            }
        })"},
        {"/app/lib/db.ts", ""},
        {"/app/generated/lib/auth.ts", ""},
        {"/app/lib/auth.ts", ""},
        {"/app/stores/index.ts", ""},
        {"/app/stores/panel.ts", ""},
        {"/app/src/server/db.ts", ""},
        {"/app/page.tsx", ""},
        {"/packages/db/package.json", R"({"name": "@sim/db", "exports": {".": "./index.ts"}})"},
        {"/packages/db/index.ts", ""},
        {"/packages/db/schema.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/app/page.tsx", "@/lib/db").path == "/app/lib/db.ts");             // second substitution
    CHECK(r.resolve("/app/page.tsx", "@/lib/auth").path == "/app/generated/lib/auth.ts");  // first one wins
    CHECK(r.resolve("/app/page.tsx", "@/stores").path == "/app/stores/index.ts");
    CHECK(r.resolve("/app/page.tsx", "@/stores/panel").path == "/app/stores/panel.ts");
    CHECK(r.resolve("/app/page.tsx", "~/server/db").path == "/app/src/server/db.ts");
    CHECK(r.resolve("/app/page.tsx", "@sim/db").path == "/packages/db/index.ts");  // a directory: index
    CHECK(r.resolve("/app/page.tsx", "@sim/db/schema").path == "/packages/db/schema.ts");
}

TEST_CASE("module resolver: pnpm monorepo, exports with types/import/default pointing at dist, workspace:* deps") {
    auto fs = tree({
        {"/repo/package.json", R"({"name": "acme", "private": true})"},
        {"/repo/pnpm-workspace.yaml", "# workspace\npackages:\n  - \"apps/*\"\n  - 'packages/*'   # libraries\n  - tooling/eslint\n\ncatalog:\n  zod: ^3.0.0\n"},
        {"/repo/apps/web/package.json", R"({"name": "@acme/web", "dependencies": {"@acme/db": "workspace:*", "zod": "catalog:"}})"},
        {"/repo/apps/web/tsconfig.json", R"({"extends": "@acme/tsconfig/base.json", "compilerOptions": {"paths": {"~/*": ["./src/*"]}}})"},
        {"/repo/apps/web/src/server/api/routers/post.ts", ""},
        {"/repo/apps/web/src/server/db.ts", ""},
        {"/repo/packages/db/package.json", R"({
            "name": "@acme/db",
            "type": "module",
            "exports": {
                ".": {"types": "./dist/index.d.ts", "import": "./dist/index.js", "default": "./dist/index.js"},
                "./schema": {"types": "./dist/schema.d.ts", "import": "./dist/schema.js", "default": "./dist/schema.js"},
                "./client": {"types": "./dist/client/index.d.ts", "default": "./dist/client/index.js"}
            }
        })"},
        {"/repo/packages/db/src/index.ts", ""},
        {"/repo/packages/db/src/schema.ts", ""},
        {"/repo/packages/db/src/client/index.ts", ""},
        {"/repo/packages/tsconfig/package.json", R"({"name": "@acme/tsconfig", "files": ["*.json"]})"},
        {"/repo/packages/tsconfig/base.json", R"({"compilerOptions": {"strict": true}})"},
        {"/repo/tooling/eslint/package.json", R"({"name": "@acme/eslint-config", "main": "./index.js"})"},
        {"/repo/tooling/eslint/index.js", ""},
    });
    ModuleResolver r(fs);
    const std::string post = "/repo/apps/web/src/server/api/routers/post.ts";
    CHECK(r.resolve(post, "@acme/db").path == "/repo/packages/db/src/index.ts");
    CHECK(r.resolve(post, "@acme/db/schema").path == "/repo/packages/db/src/schema.ts");
    CHECK(r.resolve(post, "@acme/db/client").path == "/repo/packages/db/src/client/index.ts");
    CHECK(r.resolve(post, "~/server/db").path == "/repo/apps/web/src/server/db.ts");
    CHECK(r.resolve(post, "@acme/eslint-config").path == "/repo/tooling/eslint/index.js");
    CHECK(r.resolve(post, "zod").kind == Kind::ExternalPackage);
    CHECK(r.resolve(post, "zod").reason == "package 'zod' is not a workspace package");
    const ModuleResolution missing = r.resolve(post, "@acme/db/nope");
    CHECK(missing.kind == Kind::NotFound);
    CHECK(missing.reason.find("exports has no entry for './nope'") != std::string::npos);
    CHECK(r.config_problems().empty());
}

TEST_CASE("module resolver: tsconfig extends a package config whose paths are relative to itself") {
    auto fs = tree({
        {"/repo/package.json", R"({"workspaces": ["packages/*", "apps/*"]})"},
        {"/repo/packages/tsconfig/package.json", R"({"name": "@acme/tsconfig", "exports": {"./base.json": "./base.json"}})"},
        {"/repo/packages/tsconfig/base.json", R"({"compilerOptions": {"paths": {"@shared/*": ["../shared/src/*"]}}})"},
        {"/repo/packages/shared/src/money.ts", ""},
        {"/repo/apps/api/tsconfig.json", R"({"extends": "@acme/tsconfig/base.json"})"},
        {"/repo/apps/api/src/main.ts", ""},
        // A child baseUrl wins over the defining config's directory.
        {"/repo/apps/admin/tsconfig.json", R"({"extends": "@acme/tsconfig/base", "compilerOptions": {"baseUrl": "./lib"}})"},
        {"/repo/apps/admin/main.ts", ""},
        {"/repo/apps/admin/shared/src/money.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/repo/apps/api/src/main.ts", "@shared/money").path == "/repo/packages/shared/src/money.ts");
    // "../shared/src/*" relative to /repo/apps/admin/lib
    CHECK(r.resolve("/repo/apps/admin/main.ts", "@shared/money").path == "/repo/apps/admin/shared/src/money.ts");
    CHECK(r.config_problems().empty());
}

TEST_CASE("module resolver: extends from node_modules (@tsconfig/node20 directory and a file)") {
    auto fs = tree({
        {"/p/node_modules/@tsconfig/node20/package.json", R"({"name": "@tsconfig/node20"})"},
        {"/p/node_modules/@tsconfig/node20/tsconfig.json", R"({"compilerOptions": {"baseUrl": "./nothing-here"}})"},
        {"/p/node_modules/cfgs/package.json", R"({"name": "cfgs", "tsconfig": "./strict.json"})"},
        {"/p/node_modules/cfgs/strict.json", R"({"compilerOptions": {"paths": {"#lib/*": ["./x/*"]}}})"},
        {"/p/tsconfig.json", R"({"extends": ["@tsconfig/node20", "cfgs"], "compilerOptions": {"baseUrl": "."}})"},
        {"/p/src/a.ts", ""},
        {"/p/util/time.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/p/src/a.ts", "util/time").path == "/p/util/time.ts");  // own baseUrl wins
    CHECK(r.config_problems().empty());
}

TEST_CASE("module resolver: extends arrays, later entries override earlier, the file overrides all") {
    auto fs = tree({
        {"/r/configs/a.json", R"({"compilerOptions": {"paths": {"@x/*": ["../from-a/*"]}, "baseUrl": "../base-a"}})"},
        {"/r/configs/b.json", R"({"compilerOptions": {"paths": {"@x/*": ["./from-b/*"]}}})"},
        {"/r/one/tsconfig.json", R"({"extends": ["../configs/a.json", "../configs/b"]})"},
        {"/r/one/main.ts", ""},
        {"/r/two/tsconfig.json", R"({"extends": ["../configs/a", "../configs/b.json"], "compilerOptions": {"paths": {"@x/*": ["./own/*"]}, "baseUrl": "."}})"},
        {"/r/two/main.ts", ""},
        {"/r/two/own/thing.ts", ""},
        {"/r/from-a/thing.ts", ""},
        {"/r/from-b/thing.ts", ""},
        {"/r/base-a/from-b/thing.ts", ""},
        {"/r/configs/from-b/thing.ts", ""},
        {"/r/base-a/lonely.ts", ""},
    });
    ModuleResolver r(fs);
    // b's paths win; a's baseUrl (relative to a) is inherited, and paths resolve against baseUrl.
    CHECK(r.resolve("/r/one/main.ts", "@x/thing").path == "/r/base-a/from-b/thing.ts");
    CHECK(r.resolve("/r/one/main.ts", "lonely").path == "/r/base-a/lonely.ts");
    CHECK(r.resolve("/r/two/main.ts", "@x/thing").path == "/r/two/own/thing.ts");
    CHECK(r.config_problems().empty());
}

TEST_CASE("module resolver: baseUrl alone makes bare specifiers resolvable, before packages") {
    auto fs = tree({
        {"/s/tsconfig.json", R"({"compilerOptions": {"baseUrl": "./src"}})"},
        {"/s/src/lib/db.ts", ""},
        {"/s/src/components/index.tsx", ""},
        {"/s/src/app.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/s/src/app.ts", "lib/db").path == "/s/src/lib/db.ts");
    CHECK(r.resolve("/s/src/app.ts", "components").path == "/s/src/components/index.tsx");
    CHECK(r.resolve("/s/src/app.ts", "react").kind == Kind::ExternalPackage);
}

TEST_CASE("module resolver: NodeNext .js/.jsx/.mjs/.cjs written for TypeScript files, explicit .ts, other files") {
    auto fs = tree({
        {"/n/src/db.ts", ""},
        {"/n/src/view.tsx", ""},
        {"/n/src/esm.mts", ""},
        {"/n/src/cjs.cts", ""},
        {"/n/src/legacy.js", ""},
        {"/n/src/data.json", "{}"},
        {"/n/src/user.service.ts", ""},
        {"/n/src/index.ts", ""},
    });
    ModuleResolver r(fs);
    const std::string f = "/n/src/index.ts";
    CHECK(r.resolve(f, "./db.js").path == "/n/src/db.ts");
    CHECK(r.resolve(f, "./view.js").path == "/n/src/view.tsx");
    CHECK(r.resolve(f, "./view.jsx").path == "/n/src/view.tsx");
    CHECK(r.resolve(f, "./esm.mjs").path == "/n/src/esm.mts");
    CHECK(r.resolve(f, "./cjs.cjs").path == "/n/src/cjs.cts");
    CHECK(r.resolve(f, "./db.ts").path == "/n/src/db.ts");
    CHECK(r.resolve(f, "./legacy.js").path == "/n/src/legacy.js");
    CHECK(r.resolve(f, "./legacy").path == "/n/src/legacy.js");
    CHECK(r.resolve(f, "./data.json").path == "/n/src/data.json");
    CHECK(r.resolve(f, "./user.service").path == "/n/src/user.service.ts");
    CHECK(r.resolve(f, "../src/db").path == "/n/src/db.ts");
    CHECK(r.resolve(f, "/n/src/db").path == "/n/src/db.ts");
    CHECK(r.resolve(f, ".").path == "/n/src/index.ts");
    const ModuleResolution miss = r.resolve(f, "./nope.js");
    CHECK(miss.kind == Kind::NotFound);
    CHECK(miss.reason == "no file for './nope.js' from 'n/src'");
}

TEST_CASE("module resolver: index files, directories with package.json, declaration files are not sources") {
    auto fs = tree({
        {"/i/src/db/index.ts", ""},
        {"/i/src/ui/index.tsx", ""},
        {"/i/src/both/index.ts", ""},
        {"/i/src/both/index.tsx", ""},
        {"/i/src/old/index.js", ""},
        {"/i/src/emails/package.json", R"({"name": "emails", "main": "./dist/index.js"})"},
        {"/i/src/emails/src/index.ts", ""},
        {"/i/src/types/env.d.ts", ""},
        {"/i/src/main.ts", ""},
    });
    ModuleResolver r(fs);
    const std::string f = "/i/src/main.ts";
    CHECK(r.resolve(f, "./db").path == "/i/src/db/index.ts");
    CHECK(r.resolve(f, "./db/").path == "/i/src/db/index.ts");
    CHECK(r.resolve(f, "./ui").path == "/i/src/ui/index.tsx");
    CHECK(r.resolve(f, "./both").path == "/i/src/both/index.ts");
    CHECK(r.resolve(f, "./old").path == "/i/src/old/index.js");
    CHECK(r.resolve(f, "./emails").path == "/i/src/emails/src/index.ts");  // main in dist -> src
    const ModuleResolution decl = r.resolve(f, "./types/env");
    CHECK(decl.kind == Kind::NotFound);
    CHECK(decl.reason.find("only the declaration file 'i/src/types/env.d.ts'") != std::string::npos);
}

TEST_CASE("module resolver: packages without exports: types/main with dist->src, subpaths, src fallback") {
    auto fs = tree({
        {"/m/package.json", R"({"workspaces": {"packages": ["libs/**", "!libs/legacy/**"]}})"},
        {"/m/libs/core/package.json", R"({"name": "@m/core", "types": "./build/index.d.ts", "main": "./build/index.js"})"},
        {"/m/libs/core/src/index.ts", ""},
        {"/m/libs/core/src/schema.ts", ""},
        {"/m/libs/nested/deep/package.json", R"({"name": "deep", "main": "lib/esm/main.js"})"},
        {"/m/libs/nested/deep/src/main.ts", ""},
        {"/m/libs/plain/package.json", R"({"name": "plain"})"},
        {"/m/libs/plain/index.tsx", ""},
        {"/m/libs/plain/schema/index.ts", ""},
        {"/m/libs/legacy/old/package.json", R"({"name": "old"})"},
        {"/m/libs/legacy/old/index.ts", ""},
        {"/m/app/main.ts", ""},
    });
    ModuleResolver r(fs);
    const std::string f = "/m/app/main.ts";
    CHECK(r.resolve(f, "@m/core").path == "/m/libs/core/src/index.ts");
    CHECK(r.resolve(f, "@m/core/schema").path == "/m/libs/core/src/schema.ts");
    CHECK(r.resolve(f, "deep").path == "/m/libs/nested/deep/src/main.ts");
    CHECK(r.resolve(f, "plain").path == "/m/libs/plain/index.tsx");
    CHECK(r.resolve(f, "plain/schema").path == "/m/libs/plain/schema/index.ts");
    CHECK(r.resolve(f, "old").kind == Kind::ExternalPackage);  // excluded by "!libs/legacy/**"
}

TEST_CASE("module resolver: exports patterns, nested conditions, fallback arrays, null, imports (#)") {
    auto fs = tree({
        {"/w/package.json", R"({"private": true, "workspaces": ["packages/*", "apps/*"]})"},
        {"/w/packages/emcn/package.json", R"({
            "name": "@sim/emcn",
            "exports": {
                ".": {"types": "./src/index.ts", "default": "./src/index.ts"},
                "./icons": {"types": "./src/icons/index.ts", "default": "./src/icons/index.ts"},
                "./*": {"types": "./src/*", "default": "./src/*"},
                "./internal/*": null,
                "./nested": {"node": {"import": {"types": "./dist/nested.d.mts", "default": "./dist/nested.mjs"}}},
                "./fallback": ["./missing/x.js", "./src/fallback.ts"],
                "./custom": {"react-server": "./src/custom.server.ts", "default": "./src/custom.ts"},
                "./legacy/": "./src/legacy/"
            }
        })"},
        {"/w/packages/emcn/src/index.ts", ""},
        {"/w/packages/emcn/src/icons/index.ts", ""},
        {"/w/packages/emcn/src/components/button.tsx", ""},
        {"/w/packages/emcn/src/components/index.ts", ""},
        {"/w/packages/emcn/src/internal/x.ts", ""},
        {"/w/packages/emcn/src/nested.mts", ""},
        {"/w/packages/emcn/src/fallback.ts", ""},
        {"/w/packages/emcn/src/custom.ts", ""},
        {"/w/packages/emcn/src/custom.server.ts", ""},
        {"/w/packages/emcn/src/legacy/a.ts", ""},
        {"/w/apps/sim/package.json", R"({"name": "sim", "imports": {"#db": "./lib/db/index.ts", "#utils/*": {"types": "./dist/utils/*.d.ts", "default": "./dist/utils/*.js"}, "#zod": "zod"}})"},
        {"/w/apps/sim/lib/db/index.ts", ""},
        {"/w/apps/sim/src/utils/date.ts", ""},
        {"/w/apps/sim/app/page.tsx", ""},
    });
    ModuleResolver r(fs);
    const std::string f = "/w/apps/sim/app/page.tsx";
    CHECK(r.resolve(f, "@sim/emcn").path == "/w/packages/emcn/src/index.ts");
    CHECK(r.resolve(f, "@sim/emcn/icons").path == "/w/packages/emcn/src/icons/index.ts");
    CHECK(r.resolve(f, "@sim/emcn/components/button").path == "/w/packages/emcn/src/components/button.tsx");
    CHECK(r.resolve(f, "@sim/emcn/components").path == "/w/packages/emcn/src/components/index.ts");
    CHECK(r.resolve(f, "@sim/emcn/nested").path == "/w/packages/emcn/src/nested.mts");
    CHECK(r.resolve(f, "@sim/emcn/fallback").path == "/w/packages/emcn/src/fallback.ts");
    CHECK(r.resolve(f, "@sim/emcn/custom").path == "/w/packages/emcn/src/custom.ts");  // default before others
    CHECK(r.resolve(f, "@sim/emcn/legacy/a").path == "/w/packages/emcn/src/legacy/a.ts");
    CHECK(r.resolve(f, "#db").path == "/w/apps/sim/lib/db/index.ts");
    CHECK(r.resolve(f, "#utils/date").path == "/w/apps/sim/src/utils/date.ts");
    CHECK(r.resolve(f, "#zod").kind == Kind::ExternalPackage);
    CHECK(r.resolve(f, "#nope").reason.find("'imports' has no entry for '#nope'") != std::string::npos);
}

TEST_CASE("module resolver: customConditions come first") {
    auto fs = tree({
        {"/c/package.json", R"({"workspaces": ["pkgs/*"]})"},
        {"/c/pkgs/a/package.json", R"({"name": "a", "exports": {".": {"import": "./src/index.ts", "source": "./src/source.ts"}}})"},
        {"/c/pkgs/a/src/index.ts", ""},
        {"/c/pkgs/a/src/source.ts", ""},
        {"/c/app/tsconfig.json", R"({"compilerOptions": {"customConditions": ["source"]}})"},
        {"/c/app/x.ts", ""},
        {"/c/other/x.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/c/app/x.ts", "a").path == "/c/pkgs/a/src/source.ts");
    CHECK(r.resolve("/c/other/x.ts", "a").path == "/c/pkgs/a/src/index.ts");
}

TEST_CASE("module resolver: solution-style tsconfig hands files to the referenced project") {
    auto fs = tree({
        {"/v/tsconfig.json", R"({"files": [], "references": [{"path": "./tsconfig.node.json"}, {"path": "./tsconfig.app.json"}, {"path": "./packages/lib"}]})"},
        {"/v/tsconfig.app.json", R"({"include": ["src"], "compilerOptions": {"paths": {"@/*": ["./src/*"]}}})"},
        {"/v/tsconfig.node.json", R"({"include": ["vite.config.ts"], "compilerOptions": {"paths": {"@/*": ["./node-only/*"]}}})"},
        {"/v/packages/lib/tsconfig.json", R"({"compilerOptions": {"paths": {"@/*": ["./lib/*"]}}})"},
        {"/v/src/main.ts", ""},
        {"/v/src/db.ts", ""},
        {"/v/vite.config.ts", ""},
        {"/v/node-only/db.ts", ""},
        {"/v/packages/lib/lib/db.ts", ""},
        {"/v/packages/lib/src/x.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.tsconfig_for("/v/src/main.ts") == "/v/tsconfig.app.json");
    CHECK(r.tsconfig_for("/v/vite.config.ts") == "/v/tsconfig.node.json");
    CHECK(r.tsconfig_for("/v/packages/lib/src/x.ts") == "/v/packages/lib/tsconfig.json");
    CHECK(r.resolve("/v/src/main.ts", "@/db").path == "/v/src/db.ts");
    CHECK(r.resolve("/v/vite.config.ts", "@/db").path == "/v/node-only/db.ts");
    CHECK(r.resolve("/v/packages/lib/src/x.ts", "@/db").path == "/v/packages/lib/lib/db.ts");
}

TEST_CASE("module resolver: tsconfig with comments, trailing commas and URLs in strings") {
    auto fs = tree({
        {"/j/tsconfig.json", R"(// The project config
{
  "$schema": "https://json.schemastore.org/tsconfig", // a URL is not a comment
  /* Base Options: */
  "compilerOptions": {
    "baseUrl": ".",
    "paths": {
      "@/*": ["./src/*",], /* trailing comma in an array */
      "odd//key/*": ["./src/odd/*"],
    },
  },
  "include": ["src/**/*.ts", "src/**/*.tsx",],
})"},
        {"/j/src/db.ts", ""},
        {"/j/src/odd/x.ts", ""},
        {"/j/src/a.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/j/src/a.ts", "@/db").path == "/j/src/db.ts");
    CHECK(r.resolve("/j/src/a.ts", "odd//key/x").path == "/j/src/odd/x.ts");
    CHECK(r.config_problems().empty());
}

TEST_CASE("module resolver: invalid tsconfig is reported with its line and resolution continues") {
    auto fs = tree({
        {"/b/package.json", R"({"workspaces": ["packages/*"]})"},
        {"/b/packages/db/package.json", R"({"name": "@b/db", "exports": {".": "./src/index.ts"}})"},
        {"/b/packages/db/src/index.ts", ""},
        {"/b/app/tsconfig.json", "{\n  \"compilerOptions\": {\n    \"paths\": {\"@/*\": [\"./*\"]\n  }\n  oops\n}\n"},
        {"/b/app/page.ts", ""},
        {"/b/app/util.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/b/app/page.ts", "./util").path == "/b/app/util.ts");
    CHECK(r.resolve("/b/app/page.ts", "@b/db").path == "/b/packages/db/src/index.ts");
    CHECK(r.resolve("/b/app/page.ts", "@/util").kind == Kind::NotFound);  // paths lost with the config
    CHECK(r.resolve("/b/app/page.ts", "@/util").reason == "no tsconfig paths alias matches '@/util' and it is not a valid package name");
    REQUIRE(r.config_problems().size() == 1);
    CHECK(r.config_problems()[0].rfind("b/app/tsconfig.json:5: invalid JSON", 0) == 0);
    REQUIRE(r.config_problem_list().size() == 1);
    CHECK(r.config_problem_list()[0].file == "b/app/tsconfig.json");
    CHECK(r.config_problem_list()[0].line == 5);
    CHECK(r.config_problem_list()[0].message.rfind("invalid JSON: syntax error", 0) == 0);
}

TEST_CASE("module resolver: extends cycle and missing extends are reported, no hang") {
    auto fs = tree({
        {"/y/tsconfig.json", R"({"extends": "./a.json", "compilerOptions": {"paths": {"@/*": ["./src/*"]}}})"},
        {"/y/a.json", R"({"extends": "./b.json"})"},
        {"/y/b.json", "{\n  \"extends\": \"./a\"\n}"},
        {"/y/self/tsconfig.json", R"({"extends": "./tsconfig.json"})"},
        {"/y/self/x.ts", ""},
        {"/y/gone/tsconfig.json", "{\n\n  \"extends\": \"@nowhere/tsconfig/base.json\"\n}"},
        {"/y/gone/x.ts", ""},
        {"/y/src/db.ts", ""},
        {"/y/src/x.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/y/src/x.ts", "@/db").path == "/y/src/db.ts");
    CHECK(r.resolve("/y/self/x.ts", "./x").path == "/y/self/x.ts");
    CHECK(r.resolve("/y/gone/x.ts", "./x").path == "/y/gone/x.ts");
    CHECK(has_problem(r, "extends cycle: y/tsconfig.json -> y/a.json -> y/b.json -> y/a.json"));
    CHECK(has_problem(r, "extends cycle: y/self/tsconfig.json -> y/self/tsconfig.json"));
    CHECK(has_problem(r, "y/gone/tsconfig.json:3: extends '@nowhere/tsconfig/base.json' not found"));
    INFO(all_problems(r));
    CHECK(r.config_problems().size() == 3);
}

TEST_CASE("module resolver: a long extends chain stops at 32") {
    MemoryFileSystem fs;
    for (int i = 0; i < 40; ++i)
        fs.add_file("/long/c" + std::to_string(i) + ".json", "{\"extends\": \"./c" + std::to_string(i + 1) + ".json\"}");
    fs.add_file("/long/c40.json", "{}");
    fs.add_file("/long/tsconfig.json", R"({"extends": "./c0.json"})");
    fs.add_file("/long/x.ts", "");
    ModuleResolver r(fs);
    CHECK(r.resolve("/long/x.ts", "./x").path == "/long/x.ts");
    CHECK(has_problem(r, "extends chain deeper than 32 configs"));
}

TEST_CASE("module resolver: node builtins, npm packages and URLs stay external with a reason") {
    auto fs = tree({
        {"/e/package.json", R"({"name": "e", "workspaces": ["packages/*"]})"},
        {"/e/packages/ui/package.json", R"({"name": "@e/ui", "exports": {".": "./src/index.tsx"}})"},
        {"/e/packages/ui/src/index.tsx", ""},
        {"/e/node_modules/zod/package.json", R"({"name": "zod", "main": "./lib/index.js", "types": "./lib/index.d.ts"})"},
        {"/e/node_modules/zod/lib/index.js", ""},
        {"/e/node_modules/zod/lib/index.d.ts", ""},
        {"/e/linked/src/index.ts", ""},
        {"/e/linked/package.json", R"({"name": "linked", "exports": "./src/index.ts"})"},
        {"/e/src/main.ts", ""},
    });
    fs.add_symlink("/e/node_modules/linked", "../linked");
    ModuleResolver r(fs);
    const std::string f = "/e/src/main.ts";
    CHECK(r.resolve(f, "node:fs").kind == Kind::Builtin);
    CHECK(r.resolve(f, "node:fs").reason == "node builtin 'node:fs'");
    CHECK(r.resolve(f, "fs").kind == Kind::Builtin);
    CHECK(r.resolve(f, "fs/promises").kind == Kind::Builtin);
    CHECK(r.resolve(f, "bun:test").kind == Kind::Builtin);
    CHECK(r.resolve(f, "https://esm.sh/react").kind == Kind::Url);
    const ModuleResolution zod = r.resolve(f, "zod");
    CHECK(zod.kind == Kind::ExternalPackage);
    CHECK(zod.external());
    CHECK(zod.reason == "package 'zod' is an installed dependency in node_modules, not a workspace package");
    CHECK(r.resolve(f, "drizzle-orm/pg-core").reason == "package 'drizzle-orm' is not a workspace package");
    CHECK(r.resolve(f, "@e/ui").path == "/e/packages/ui/src/index.tsx");
    CHECK(r.resolve(f, "linked").path == "/e/linked/src/index.ts");  // symlinked into node_modules
    CHECK(!r.resolve(f, "./nope").external());
}

TEST_CASE("module resolver: a package imports itself by name (self-reference) outside any workspace") {
    auto fs = tree({
        {"/solo/package.json", R"({"name": "solo", "exports": {"./db": "./src/db/index.ts"}})"},
        {"/solo/src/db/index.ts", ""},
        {"/solo/src/app.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/solo/src/app.ts", "solo/db").path == "/solo/src/db/index.ts");
}

TEST_CASE("module resolver: ${configDir} in a shared config is the governing config's directory") {
    auto fs = tree({
        {"/t/shared/tsconfig.base.json", R"({"compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"]}}})"},
        {"/t/app/tsconfig.json", R"({"extends": "../shared/tsconfig.base.json"})"},
        {"/t/app/src/db.ts", ""},
        {"/t/app/src/x.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/t/app/src/x.ts", "@/db").path == "/t/app/src/db.ts");
}

TEST_CASE("module resolver: pnpm-workspace.yaml flow lists, exclusions and unsupported YAML") {
    auto fs = tree({
        {"/q/pnpm-workspace.yaml", "packages: ['apps/*', \"packages/*\", '!packages/private'] # flow\nonlyBuiltDependencies:\n  - esbuild\n"},
        {"/q/apps/a/package.json", R"({"name": "a"})"},
        {"/q/apps/a/index.ts", ""},
        {"/q/packages/p/package.json", R"({"name": "p"})"},
        {"/q/packages/p/index.ts", ""},
        {"/q/packages/private/package.json", R"({"name": "hidden"})"},
        {"/q/packages/private/index.ts", ""},
        {"/q/x.ts", ""},
        {"/q2/pnpm-workspace.yaml", "packages:\n  - &anchor apps/*\n  # a comment\n  - libs/*\nesbuild:\n  - x\n"},
        {"/q2/libs/l/package.json", R"({"name": "l"})"},
        {"/q2/libs/l/index.ts", ""},
        {"/q2/x.ts", ""},
        {"/q3/pnpm-workspace.yaml", "\"packages\":   # unindented items are valid YAML\n- tools/*\n-   \"libs/it's\"\n"},
        {"/q3/tools/t/package.json", R"({"name": "t"})"},
        {"/q3/tools/t/index.ts", ""},
        {"/q3/libs/it's/package.json", R"({"name": "quote"})"},
        {"/q3/libs/it's/index.ts", ""},
        {"/q3/x.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/q/x.ts", "a").path == "/q/apps/a/index.ts");
    CHECK(r.resolve("/q/x.ts", "p").path == "/q/packages/p/index.ts");
    CHECK(r.resolve("/q/x.ts", "hidden").kind == Kind::ExternalPackage);
    CHECK(r.resolve("/q2/x.ts", "l").path == "/q2/libs/l/index.ts");
    CHECK(r.resolve("/q2/x.ts", "esbuild").kind == Kind::ExternalPackage);
    CHECK(has_problem(r, "q2/pnpm-workspace.yaml:2: unsupported YAML"));
    CHECK(r.resolve("/q3/x.ts", "t").path == "/q3/tools/t/index.ts");
    CHECK(r.resolve("/q3/x.ts", "quote").path == "/q3/libs/it's/index.ts");
    INFO(all_problems(r));
    CHECK(r.config_problems().size() == 1);
}

TEST_CASE("module resolver: results outside the base directory are absolute") {
    auto fs = tree({
        {"/outer/lib/x.ts", ""},
        {"/outer/proj/tsconfig.json", R"({"compilerOptions": {"paths": {"lib/*": ["../lib/*"]}}})"},
        {"/outer/proj/src/a.ts", ""},
    }, "/outer/proj");
    ModuleResolver r(fs);
    CHECK(r.resolve("src/a.ts", "lib/x").path == "/outer/lib/x.ts");
    CHECK(r.resolve("src/a.ts", "./a").path == "src/a.ts");
}

TEST_CASE("module resolver: a package's tsconfig outDir/rootDir maps entry points back to sources") {
    auto fs = tree({
        {"/o/package.json", R"({"workspaces": ["packages/*"]})"},
        {"/o/packages/core/package.json", R"({"name": "core", "exports": {".": "./out-tsc/index.js", "./util": "./typings/util.d.ts"}})"},
        {"/o/packages/core/tsconfig.json", R"({"files": [], "references": [{"path": "./tsconfig.lib.json"}]})"},
        {"/o/packages/core/tsconfig.lib.json", R"({"compilerOptions": {"outDir": "out-tsc", "declarationDir": "typings", "rootDir": "lib"}})"},
        {"/o/packages/core/lib/index.ts", ""},
        {"/o/packages/core/lib/util.ts", ""},
        {"/o/app.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.resolve("/o/app.ts", "core").path == "/o/packages/core/lib/index.ts");
    CHECK(r.resolve("/o/app.ts", "core/util").path == "/o/packages/core/lib/util.ts");
}

TEST_CASE("module resolver: jsconfig.json, catch-all paths into node_modules, query suffixes") {
    auto fs = tree({
        {"/k/jsconfig.json", R"({"compilerOptions": {"baseUrl": ".", "paths": {"*": ["./src/*", "./node_modules/*"]}}})"},
        {"/k/src/lib/db.ts", ""},
        {"/k/src/worker.ts", ""},
        {"/k/node_modules/react/package.json", R"({"name": "react", "main": "index.js"})"},
        {"/k/node_modules/react/index.js", ""},
        {"/k/src/main.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.tsconfig_for("/k/src/main.ts") == "/k/jsconfig.json");
    CHECK(r.resolve("/k/src/main.ts", "lib/db").path == "/k/src/lib/db.ts");
    const ModuleResolution react = r.resolve("/k/src/main.ts", "react");
    CHECK(react.kind == Kind::ExternalPackage);
    CHECK(react.reason.find("resolves into node_modules") != std::string::npos);
    CHECK(r.resolve("/k/src/main.ts", "./worker?worker").path == "/k/src/worker.ts");
    CHECK(r.resolve("/k/src/main.ts", "lib/db?isolated-test").path == "/k/src/lib/db.ts");
}

TEST_CASE("module resolver: solution-style root picks the referenced project by include, then by directory") {
    auto fs = tree({
        {"/sol/tsconfig.json", R"({"files": [], "references": [{"path": "./apps/web"}]})"},
        {"/sol/apps/web/tsconfig.json", R"({"compilerOptions": {"paths": {"#/*": ["./src/*"]}}})"},
        {"/sol/apps/web/src/user.ts", ""},
        {"/sol/apps/web/e2e/spec.ts", ""},
        {"/sol/tools/x.ts", ""},
    });
    ModuleResolver r(fs);
    CHECK(r.tsconfig_for("/sol/apps/web/e2e/spec.ts") == "/sol/apps/web/tsconfig.json");  // the nearest config
    CHECK(r.tsconfig_for("/sol/tools/x.ts") == "/sol/tsconfig.json");  // no referenced project contains it
    MemoryFileSystem fs2 = tree({
        {"/sol/tsconfig.json", R"({"files": [], "references": [{"path": "./tsconfig.web.json"}, {"path": "./tsconfig.e2e.json"}]})"},
        {"/sol/tsconfig.web.json", R"({"include": ["apps/web/src"]})"},
        {"/sol/tsconfig.e2e.json", R"({"include": ["apps/web/e2e/**/*.ts"]})"},
        {"/sol/apps/web/e2e/spec.ts", ""},
        {"/sol/apps/web/src/page.ts", ""},
        {"/sol/scripts/x.ts", ""},
    });
    ModuleResolver r2(fs2);
    CHECK(r2.tsconfig_for("/sol/apps/web/e2e/spec.ts") == "/sol/tsconfig.e2e.json");
    CHECK(r2.tsconfig_for("/sol/apps/web/src/page.ts") == "/sol/tsconfig.web.json");
    CHECK(r2.tsconfig_for("/sol/scripts/x.ts") == "/sol/tsconfig.web.json");  // included nowhere: same dir, first one
}

namespace {
// Counts what the resolver asks the file system.
class CountingFs : public querylens::FileSystemView {
public:
    explicit CountingFs(const FileSystemView& inner) : inner_(inner) {}
    bool is_file(const std::string& p) const override { return ++calls, inner_.is_file(p); }
    bool is_dir(const std::string& p) const override { return ++calls, inner_.is_dir(p); }
    std::optional<std::string> read(const std::string& p) const override { return ++calls, inner_.read(p); }
    std::vector<std::string> list_dir(const std::string& p) const override { return ++calls, inner_.list_dir(p); }
    std::string base_dir() const override { return inner_.base_dir(); }
    std::string real_path(const std::string& p) const override { return ++calls, inner_.real_path(p); }
    mutable size_t calls = 0;

private:
    const FileSystemView& inner_;
};
}  // namespace

TEST_CASE("module resolver: memoized - 20,000 resolutions over a generated monorepo") {
    MemoryFileSystem mem;
    mem.add_file("/big/package.json", R"({"workspaces": ["apps/*", "packages/*"]})");
    constexpr int kPackages = 20, kDirs = 20, kFiles = 10;
    for (int p = 0; p < kPackages; ++p) {
        const std::string pkg = "/big/packages/p" + std::to_string(p);
        mem.add_file(pkg + "/package.json", "{\"name\": \"@big/p" + std::to_string(p) +
                                                "\", \"exports\": {\".\": {\"types\": \"./dist/index.d.ts\", \"default\": \"./dist/index.js\"}, \"./*\": \"./src/*.ts\"}}");
        mem.add_file(pkg + "/src/index.ts", "");
        for (int f = 0; f < kFiles; ++f) mem.add_file(pkg + "/src/m" + std::to_string(f) + ".ts", "");
    }
    mem.add_file("/big/apps/web/tsconfig.json", R"({"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})");
    for (int d = 0; d < kDirs; ++d)
        for (int f = 0; f < kFiles; ++f)
            mem.add_file("/big/apps/web/src/d" + std::to_string(d) + "/f" + std::to_string(f) + ".ts", "");
    CountingFs fs(mem);
    ModuleResolver r(fs);
    auto run = [&] {
        size_t resolved = 0;
        for (int d = 0; d < kDirs; ++d)
            for (int f = 0; f < kFiles; ++f) {
                const std::string file = "/big/apps/web/src/d" + std::to_string(d) + "/f" + std::to_string(f) + ".ts";
                for (int i = 0; i < 50; ++i) {  // 200 files x 50 imports = 10,000 per run
                    const int p = (d + i) % kPackages, m = (f + i) % kFiles;
                    std::string spec;
                    switch (i % 5) {
                        case 0: spec = "@big/p" + std::to_string(p); break;
                        case 1: spec = "@big/p" + std::to_string(p) + "/m" + std::to_string(m); break;
                        case 2: spec = "@/d" + std::to_string(p % kDirs) + "/f" + std::to_string(m); break;
                        case 3: spec = "./f" + std::to_string(m); break;
                        default: spec = i % 2 ? "react" : "node:fs"; break;
                    }
                    resolved += r.resolve(file, spec).resolved();
                }
            }
        return resolved;
    };
    const size_t first = run();
    const size_t calls_after_first = fs.calls;
    const size_t second = run();
    CHECK(first == 8000);
    CHECK(second == first);
    CHECK(r.stats().resolve_calls == 20000);
    CHECK(fs.calls == calls_after_first);  // the second pass is answered from the caches
    CHECK(r.stats().result_cache_hits >= 10000);
    CHECK(calls_after_first < 20000);  // far fewer file-system queries than resolutions
}
