"""together.bench.report: wrk's output read right, the README block replaced."""

from together.bench.report import parse_wrk, replace_block, table

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:18100/en/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.20ms  80.00ms   90.00%
    Req/Sec     1.33k   100.00     1.50k    70.00%
  Latency Distribution
     50%  870.00us
     75%   13.00ms
     90%   15.00ms
     99%    1.20s
  26500 requests in 10.00s, 220.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   2650.12
Transfer/sec:     22.00MB
"""


def test_parse_wrk_reads_requests_and_rate():
    figures = parse_wrk(WRK_OUTPUT)
    assert (figures["requests"], figures["rps"]) == (26500, 2650.1)


def test_parse_wrk_gives_percentiles_in_milliseconds_whatever_wrk_s_unit():
    figures = parse_wrk(WRK_OUTPUT)
    assert (figures["p50_ms"], figures["p99_ms"]) == (0.87, 1200.0)


def test_parse_wrk_counts_bad_statuses_and_socket_errors_as_errors():
    assert parse_wrk(WRK_OUTPUT)["errors"] == 12


def test_parse_wrk_counts_no_error_when_wrk_reports_none():
    clean = WRK_OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 3\n", "")
    assert parse_wrk(clean.replace("  Non-2xx or 3xx responses: 7\n", ""))["errors"] == 0


def test_replace_block_replaces_only_what_lies_between_the_markers():
    text = "# Title\n<!-- bench:start -->\nold\n<!-- bench:end -->\n## Next\n"
    assert replace_block(text, "new") == "# Title\n<!-- bench:start -->\nnew\n<!-- bench:end -->\n## Next\n"


def test_replace_block_appends_the_block_when_the_markers_are_missing():
    assert replace_block("# Title\n", "new") == "# Title\n\n<!-- bench:start -->\nnew\n<!-- bench:end -->\n"


def test_table_says_when_a_page_answered_an_error_even_with_no_request_counted():
    row = {
        "page": "sitemap",
        "status": 500,
        "rps": 0,
        "p50_ms": 0,
        "p99_ms": 0,
        "errors": 0,
        "share_of_ceiling": 0,
    }
    result = {"pages": [row], "memory": {"rss_mb_before": {}, "rss_mb_after": {}, "requests_between": 0}}
    assert "| sitemap (answered 500) | 0 |" in table(result)
