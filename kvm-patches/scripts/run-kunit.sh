#!/usr/bin/env bash
# Run the KUnit suites built into the patched kernel with kunit.py (--arch=x86_64,
# under QEMU: KVM cannot be built for UML). `kunit.py exec` boots the bzImage that
# build-kernel.sh produced (no second kernel build); its build dir is
# build/kernel/kunit. Prints one ok/not ok line per KUnit test case.
source "$(dirname "$0")/lib.sh"

kdir=$KB/kunit
[ -f "$KB/bzImage" ] || { echo "not ok - kunit: $KB/bzImage missing (make kernel)"; exit 0; }
mkdir -p "$kdir/arch/x86/boot"
cp "$KB/bzImage" "$kdir/arch/x86/boot/bzImage"
rm -f "$kdir/kunit.json"
t0=$SECONDS
(cd "$KSRC" && /usr/bin/python3 tools/testing/kunit/kunit.py exec --arch=x86_64 --build_dir="$kdir" \
	--timeout=600 --json="$kdir/kunit.json") >"$kdir/kunit.log" 2>&1
rc=$?
echo "# kunit.py exec took $((SECONDS - t0)) s (exit $rc); log $kdir/kunit.log"
sed 's/^/# /' "$kdir/kunit.log" | tail -40
[ -s "$kdir/kunit.json" ] || { echo "not ok - kunit: no JSON result from kunit.py"; exit 0; }
/usr/bin/python3 - "$kdir/kunit.json" "$rc" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
n = 0
def walk(group, prefix):
    global n
    name = group.get("name", "")
    full = f"{prefix}{name}" if name else prefix.rstrip(".")
    for case in group.get("test_cases", []):
        n += 1
        st = case.get("status", "?")
        label = f"kunit {full}.{case.get('name')}"
        if st == "PASS":
            print(f"ok - {label}")
        elif st == "SKIP":
            print(f"ok - {label} # SKIP kunit skipped it")
        else:
            print(f"not ok - {label} ({st})")
    for sub in group.get("sub_groups", []):
        walk(sub, f"{full}." if full else "")
# kunit.py's JSON: a root group ("KUnit Test Group") whose sub_groups are suites.
for g in data.get("sub_groups", []) + data.get("test_groups", []):
    walk(g, "")
for case in data.get("test_cases", []):
    walk({"name": "", "test_cases": [case]}, "")
if n == 0:
    print("not ok - kunit: no test case ran")
if sys.argv[2] != "0":
    print(f"not ok - kunit: kunit.py exec exited {sys.argv[2]}")
PY
