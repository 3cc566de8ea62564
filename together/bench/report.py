"""The bench's figures: wrk's output read, the table, the README's block.

Pure functions (no Django, no processes), tested in tests/together/test_bench_report.py.
"""

import re

MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"
UNITS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}


def parse_wrk(output):
    """wrk --latency's figures: requests, req/s, p50 and p99 (ms), errors
    (responses other than 2xx/3xx plus socket errors of every kind)."""

    def milliseconds(label):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        return round(float(match.group(1)) * UNITS[match.group(2)], 2) if match else None

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 1),
        "p50_ms": milliseconds("50%"),
        "p99_ms": milliseconds("99%"),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, socket.groups())) if socket else 0),
    }


def replace_block(text, block):
    """``text`` with what lies between the markers replaced by ``block``
    (the markers kept); appended at the end when the markers are missing."""
    block = f"{MARK_START}\n{block}\n{MARK_END}"
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        return before + block + rest.split(MARK_END, 1)[1]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def table(result):
    lines = [
        "| page | req/s | p50 | p99 | errors | share of the ceiling |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["pages"]:
        # A page that answered an error when probed (a timeout, a 500) says so,
        # even when none of wrk's requests completed to be counted.
        status = "" if row.get("status", 200) == 200 else f" (answered {row['status'] or 'nothing'})"
        lines.append(
            f"| {row['page']}{status} | {row['rps']:,.0f} | {row['p50_ms']} ms | {row['p99_ms']} ms "
            f"| {row['errors']} | {row['share_of_ceiling']:.0%} |"
        )
    pledges = result.get("pledges")
    if pledges:
        lines.append(
            f"| pledge flow ({pledges['clients']} people: page, form, link, confirm) "
            f"| {pledges['confirmed_per_second']} confirmed/s "
            f"| {pledges['p50_ms']} ms | {pledges['p99_ms']} ms "
            f"| {pledges['errors']} | counter {'exact' if pledges['counter_exact'] else 'WRONG'} |"
        )
    memory = result["memory"]
    before = ", ".join(f"{mb:.0f}" for mb in memory["rss_mb_before"].values())
    after = ", ".join(f"{mb:.0f}" for mb in memory["rss_mb_after"].values())
    lines.append("")
    lines.append(
        f"gunicorn workers' resident memory (MB): {before} before, {after} after "
        f"{memory['requests_between']:,} requests."
    )
    return "\n".join(lines)
