"""Splits one timed mvn invocation of bench/goals/run.sh into its parts, and reports the medians.

  split.py START_MS MAVEN_LOG CLASS_LOG REP NAME    one result line (JSON) on stdout
  split.py --report RESULTS                        the table of medians (repetition 0, the warm-up, left out)

The Maven log has timestamps (org.slf4j.simpleLogger.showDateTime, run under TZ=UTC); the class log is
-Xlog:class+load with UTC wall-clock decorations: a class counts as the goals' when it was loaded after the first
goal's header line.
"""
import datetime
import json
import re
import statistics
import sys

HEADER = re.compile(r'^(\S+) \[INFO\] --- (\S+) ')
STAMP = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) ')
CLASS = re.compile(r'^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\+0000\] (\S+) source: (.*)$')

# libraries worth naming, by a piece of their jar's path; the rest is "maven" (its own lib/) or "other"
LIBRARIES = [
    ('devplugin', '/devplugin-maven-plugin'), ('jib', '/com/google/cloud/tools/'), ('google-http', '/com/google/'),
    ('fabric8', '/io/fabric8/'), ('flyway', '/org/flywaydb/'), ('pgjdbc', '/org/postgresql/'),
    ('jackson2', '/com/fasterxml/'), ('jackson3', '/tools/jackson/'), ('json-schema', '/com/networknt/'),
    ('snakeyaml', '/org/snakeyaml/'), ('zonky', '/io/zonky/'), ('apache-http', '/org/apache/httpcomponents/'),
    ('commons', '/org/apache/commons/'), ('commons', '/commons-'), ('maven', '/lib/'), ('jdk', 'jrt:/'),
    ('jdk', 'shared objects file'),
]


def library(source):
    for name, piece in LIBRARIES:
        if piece in source:
            return name
    return 'other'


def epoch_ms(stamp):
    return datetime.datetime.fromisoformat(stamp).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000


def split(start_ms, maven_log, class_log, rep, name):
    lines = open(maven_log, encoding='utf-8', errors='replace').read().splitlines()
    stamps = [(epoch_ms(m.group(1)), l) for l in lines for m in [STAMP.match(l)] if m]
    headers = [i for i, (_, l) in enumerate(stamps) if HEADER.match(l) and ' @ ' in l]
    # the goal of interest: the last header (validate has none of its own: its end is the build's end)
    end_ms = stamps[-1][0]
    if headers:
        goal_ms = stamps[headers[-1]][0]
        first_ms = stamps[headers[0]][0]
    else:
        goal_ms = first_ms = end_ms
    classes = {}
    in_goal = {}
    try:
        with open(class_log, encoding='utf-8', errors='replace') as f:
            for l in f:
                m = CLASS.match(l)
                if not m:
                    continue
                lib = library(m.group(3))
                classes[lib] = classes.get(lib, 0) + 1
                if epoch_ms(m.group(1)) >= first_ms:
                    in_goal[lib] = in_goal.get(lib, 0) + 1
    except FileNotFoundError:
        pass
    return {
        'name': name, 'rep': int(rep), 'start_to_goal': first_ms - start_ms, 'goal': end_ms - first_ms,
        'last_goal': end_ms - goal_ms, 'total': end_ms - start_ms,
        'classes': sum(classes.values()), 'classes_by_library': classes, 'in_goal_by_library': in_goal,
    }


def report(results):
    rows = [json.loads(l) for l in open(results) if l.strip()]
    rows = [r for r in rows if r['rep'] > 0]
    by = {}
    for r in rows:
        by.setdefault(r['name'].split('/')[0], {}).setdefault(r['rep'], []).append(r)
    print('medians over %d runs, milliseconds; classes: loaded by the JVM in all (the goal\'s own, by library)'
          % len({r['rep'] for r in rows}))
    print('%-36s %14s %10s %10s %9s  %s' % ('scenario', 'start->goal', 'goal', 'total', 'classes',
                                           'loaded while the goals ran, by library'))
    # validate first: every other line's "+N over validate" needs it, whatever order the scenarios ran in
    validate_total = None
    if 'validate' in by:
        validate_total = statistics.median(sum(r['total'] for r in rs) for rs in by['validate'].values())
    for name, reps in by.items():
        # a scenario of several invocations (one per environment) counts their sum
        def med(key):
            return statistics.median(sum(r[key] for r in rs) for rs in reps.values())
        libs = {}
        for rs in reps.values():
            for r in rs:
                for k, v in r['in_goal_by_library'].items():
                    libs.setdefault(k, []).append(v)
        n = len(next(iter(reps.values())))
        libtext = ', '.join('%s %d' % (k, statistics.median(v) * n) for k, v in
                            sorted(libs.items(), key=lambda kv: -statistics.median(kv[1])) if k not in ('jdk',))
        total = med('total')
        extra = '' if validate_total is None or name == 'validate' else '  (+%d over validate%s)' % (
            total - validate_total * n, '' if n == 1 else ', x%d' % n)
        print('%-36s %14d %10d %10d %9d  %s%s' % (name + ('' if n == 1 else ' (%d runs summed)' % n),
                                                  med('start_to_goal'), med('goal'), total,
                                                  med('classes'), libtext, extra))


if __name__ == '__main__':
    if sys.argv[1] == '--report':
        report(sys.argv[2])
    else:
        print(json.dumps(split(float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])))
