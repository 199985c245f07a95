"""Statuses of the mutants a Stryker.NET run tested, read from its debug log (docs/testing.md, "Quantized and value-graph
search"): a run stopped before its end writes no report, but its log has, per mutant, the mutation ("Mutant <id> created
"<from>" -> "<to>" using <mutator>") and the test session's end ("Test run for "<id>: ..." is "failed"": a test failed, the
mutant is killed; "success": no test failed). A session that lasted its whole timeout was cut by vstest, so its "success"
says nothing: it is printed as TIMEOUT (Stryker counts those as detected; this script does not).

Usage: python3 tests/mutants/stryker_log_status.py tests/VectLite.Tests/StrykerOutput/<run>
"""
import glob
import re
import sys
from collections import Counter
from datetime import datetime

log = glob.glob(sys.argv[1] + "/logs/log-*.txt")[0]
created, rows, start, timeout = {}, [], None, None
for line in open(log, errors="replace"):
    m = re.search(r'Mutant (\d+) created "(.*)" -> "(.*)" using "Stryker\.Core\.Mutators\.(\w+)"', line)
    if m:
        created[m.group(1)] = (m.group(2)[:100], m.group(3)[:100], m.group(4))
        continue
    stamp = line[:27]
    m = re.search(r"Using (\d+) ms as test run timeout", line)
    if m:
        start, timeout = datetime.fromisoformat(stamp), int(m.group(1)) / 1000
        continue
    m = re.search(r'Test run for "(\d+): ([^"]*)" is "(\w+)"', line)
    if m:
        took = (datetime.fromisoformat(stamp) - start).total_seconds()
        status = "KILLED" if m.group(3) == "failed" else ("TIMEOUT" if took >= timeout - 1 else "SURVIVED")
        rows.append((m.group(1), status, took))
for mutant, status, took in rows:
    before, after, mutator = created.get(mutant, ("?", "?", "?"))
    print(f"{mutant} {status} {took:.0f}s {mutator} | {before} -> {after}")
print(dict(Counter(r[1] for r in rows)), len(rows), "tested")
