"""The front door: feeds and pages from the web into the store (see `fetcher` for the rules).

http      PoliteClient: robots.txt, per-host delay, timeouts, size limit, redirects, 304s
feeds     RSS, Atom and JSON Feed to items; the keyword filter
pages     a downloaded page to an Article (decoding, then the ingest stage's HTML reader)
fetcher   feeds to items to pages to stored articles, with one report
"""

from briefing.fetch.fetcher import FeedSource, Fetcher, FetchReport, fetch
from briefing.fetch.http import FetchPolicy, fetch_policy

__all__ = ["FeedSource", "FetchPolicy", "FetchReport", "Fetcher", "fetch", "fetch_policy"]
