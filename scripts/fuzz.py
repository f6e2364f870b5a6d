#!/usr/bin/env python3
"""Mutation smoke test: mixes and mutates fixture files (unbalanced brackets, unterminated strings
and templates, $$, spliced fragments) and runs check/report/inventory on them, reporting any exit
code other than 0/1 and any sanitizer message. Use with a sanitizer build:
  BUILD_DIR=build-asan scripts/fuzz.py [SEED] [ROUNDS]
Crashing inputs are kept in /tmp/querylens-fuzz-crash-N."""
import os, random, subprocess, shutil, sys, tempfile
here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
binary = os.path.join(repo, os.environ.get('BUILD_DIR', 'build'), 'querylens')
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
src = []
for root, _, files in os.walk(os.path.join(repo, 'fixtures')):
    for f in files:
        if f.endswith(('.sql', '.ts', '.prisma')): src.append(os.path.join(root, f))
crashes = 0
for it in range(int(sys.argv[2]) if len(sys.argv) > 2 else 60):
    d = tempfile.mkdtemp(prefix='querylens-fuzz-')
    for i, f in enumerate(random.sample(src, 6)):
        data = bytearray(open(f, 'rb').read())
        for _ in range(random.randint(1, 12)):
            op = random.random()
            if not data: break
            p = random.randrange(len(data))
            if op < 0.3: del data[p:p + random.randint(1, 40)]
            elif op < 0.6: data[p:p] = random.choice([b'(', b')', b'{', b'}', b'`', b'${', b"'", b'"', b'/*', b'--', b'\n', b'$$', b';', b'.where(', b'for (const x of y) {'])
            else:
                q = random.randrange(len(data)); data[p:p] = data[q:q + random.randint(1, 80)]
        # Every other file in a migrations/ folder: SQL migrations, and migrations written as code.
        sub = os.path.join(d, 'migrations') if i % 2 else d
        os.makedirs(sub, exist_ok=True)
        open(os.path.join(sub, f'{i}_' + os.path.basename(f)), 'wb').write(bytes(data))
    for cmd in (['check', d, '--fail-on', 'never', '--format', 'sarif'], ['report', d, '--format', 'html'], ['inventory', d]):
        r = subprocess.run([binary] + cmd, capture_output=True, timeout=60)
        if r.returncode not in (0, 1) or b'ERROR: AddressSanitizer' in r.stderr or b'runtime error' in r.stderr:
            crashes += 1
            keep = f'/tmp/querylens-fuzz-crash-{it}'; shutil.rmtree(keep, ignore_errors=True); shutil.copytree(d, keep)
            print('CRASH', it, cmd[0], r.returncode, r.stderr.decode(errors='replace')[-600:])
    shutil.rmtree(d, ignore_errors=True)
print('done, crashes:', crashes)
sys.exit(1 if crashes else 0)
