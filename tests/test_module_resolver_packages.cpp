// Tests for frontends/typescript/module_resolver, workspaces and packages: pnpm/npm workspaces,
// package.json exports/imports and main fields, dist -> src, builtins and npm packages, the
// caches. In-memory trees shaped like real projects; tsconfig themes: test_module_resolver_tsconfig.cpp.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "frontends/typescript/module_resolver.h"
#include "tests/module_resolver_helpers.h"

using querylens::MemoryFileSystem;
using querylens::ModuleResolution;
using querylens::ModuleResolver;
using qltest::all_problems;
using qltest::has_problem;
using qltest::tree;
using Kind = querylens::ModuleResolution::Kind;

TEST_CASE("module resolver: pnpm monorepo / exports with types/import/default pointing at dist / workspace: deps") {
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

TEST_CASE("module resolver: packages without exports: types/main with dist->src / subpaths / src fallback") {
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

TEST_CASE("module resolver: exports patterns / nested conditions / fallback arrays / null / imports (#)") {
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

TEST_CASE("module resolver: node builtins / npm packages and URLs stay external with a reason") {
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

TEST_CASE("module resolver: pnpm-workspace.yaml flow lists / exclusions and unsupported YAML") {
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

TEST_CASE("module resolver: memoized - 20/000 resolutions over a generated monorepo") {
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
