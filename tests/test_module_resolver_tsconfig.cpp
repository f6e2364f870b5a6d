// Tests for frontends/typescript/module_resolver, tsconfig and files: paths, baseUrl, extends,
// solution-style projects, JSON with comments, config problems, file extensions and index files.
// In-memory trees shaped like real projects; packages: test_module_resolver_packages.cpp.
#include <doctest/doctest.h>

#include <string>

#include "frontends/typescript/module_resolver.h"
#include "tests/module_resolver_helpers.h"

using querylens::MemoryFileSystem;
using querylens::ModuleResolution;
using querylens::ModuleResolver;
using qltest::all_problems;
using qltest::has_problem;
using qltest::tree;
using Kind = querylens::ModuleResolution::Kind;

TEST_CASE("module resolver: Next.js app with @/ -> ./src/ / relative importers keep their form") {
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

TEST_CASE("module resolver: paths @/ -> ./ / ~/ / exact keys first / longest prefix / substitutions in order") {
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

TEST_CASE("module resolver: extends arrays / later entries override earlier / the file overrides all") {
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

TEST_CASE("module resolver: baseUrl alone makes bare specifiers resolvable / before packages") {
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

TEST_CASE("module resolver: NodeNext .js/.jsx/.mjs/.cjs written for TypeScript files / explicit .ts / other files") {
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

TEST_CASE("module resolver: index files / directories with package.json / declaration files are not sources") {
    auto fs = tree({
        {"/i/src/db/index.ts", ""},
        {"/i/src/ui/index.tsx", ""},
        {"/i/src/both/index.ts", ""},
        {"/i/src/both/index.tsx", ""},
        {"/i/src/old/index.js", ""},
        {"/i/src/emails/package.json", R"({"name": "emails", "main": "./dist/index.js"})"},
        {"/i/src/emails/src/index.ts", ""},
        {"/i/src/types/env.d.ts", ""},
        {"/i/src/vendor/dist/index.d.ts", ""},
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
    CHECK(decl.declaration_only);  // hand-written types: nothing to follow, no diagnostic
    // The declarations of built JavaScript that is not there: a miss.
    const ModuleResolution built = r.resolve(f, "./vendor/dist");
    CHECK(built.kind == Kind::NotFound);
    CHECK(!built.declaration_only);
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

TEST_CASE("module resolver: tsconfig with comments / trailing commas and URLs in strings") {
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

TEST_CASE("module resolver: extends cycle and missing extends are reported / no hang") {
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

TEST_CASE("module resolver: jsconfig.json / catch-all paths into node_modules / query suffixes") {
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

TEST_CASE("module resolver: solution-style root picks the referenced project by include / then by directory") {
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
