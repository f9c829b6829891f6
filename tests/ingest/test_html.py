import pytest

from tidings.ingest.html import extract_html, looks_like_html

PAGE = """<!doctype html><html><head><title>Bridge to reopen | Nordic Daily</title>
<meta property="og:site_name" content="Nordic Daily">
<meta property="article:published_time" content="2024-03-12T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour bridge to reopen Monday</h1>
<p>The city's main harbour bridge will reopen to traffic on Monday after a three-week closure for emergency
repairs, the transport ministry said on Friday.</p>
<p>Engineers found cracks in two steel supports during a routine inspection in February, forcing the authorities
to divert about 40,000 vehicles a day through the city centre.</p>
<p>"The repairs were more extensive than we first thought, but the structure is now safe," the minister said.</p>
</article><footer>© 2024 Nordic Daily. All rights reserved.</footer></body></html>"""


def test_extracts_body_and_metadata():
    found = extract_html(PAGE, url="https://news.example.com/bridge")
    assert found is not None
    assert "three-week closure" in found.text
    assert "All rights reserved" not in found.text
    assert found.outlet == "Nordic Daily"
    assert found.published is not None and found.published.date().isoformat() == "2024-03-12"
    assert found.url == "https://news.example.com/bridge"


def test_page_without_article_is_none():
    assert extract_html("<html><body><nav><a href='/'>Home</a></nav></body></html>") is None


def test_sniffing():
    assert looks_like_html(PAGE)
    assert looks_like_html("<div><p>x</p></div>")
    assert not looks_like_html("Plain text that mentions <b> once.")


# -- the combined HTML path ----------------------------------------------------------------------

BODY = """<p>The regional parliament voted on Tuesday to ban single-use plastic cups from all public events, starting
next summer, after a debate that lasted most of the afternoon.</p>
<p>Supporters said the ban would cut thousands of tonnes of waste a year, while opponents warned that small event
organisers would struggle to pay for reusable cups and the machines needed to wash them.</p>
<p>The law gives organisers a year to adapt and sets up a fund to help those with fewer than fifty staff.</p>"""


def page(body: str, head: str = "<title>Parliament bans plastic cups | The Daily Example</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body><main><article>{body}</article></main></body></html>"


def test_headline_copy_and_link_lists_are_not_body():
    html = page(
        "<h1>Parliament bans plastic cups at events</h1>"
        + BODY
        + "<p>Related: <a href='/a'>Council votes to close three libraries after budget cuts</a></p>"
        + "<ul><li><a href='/b'>Ten things to know about the new recycling rules</a></li>"
        + "<li><a href='/c'>Why the city's bins are collected later this month</a></li></ul>"
    )
    found = extract_html(html)
    assert found is not None
    assert found.text.startswith("The regional parliament voted")
    assert "libraries" not in found.text and "Ten things" not in found.text
    assert "fewer than fifty staff" in found.text


def test_short_linked_lines_are_kept():
    # too short to judge by their links: product names, "More:" labels, list items
    html = page(BODY + "<h2><a href='/fund'>Small organisers fund</a></h2><p>Applications open in March.</p>")
    found = extract_html(html)
    assert found is not None and "Small organisers fund" in found.text


def test_embedded_tweets_are_kept_as_quotes():
    tweet = (
        '<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">Proud that we finally '
        'banned plastic cups at public events in our region <a href="https://t.co/x">https://t.co/x</a></p>'
        '&mdash; Example Minister (@minister) <a href="https://twitter.com/minister/status/1">May 2, 2024</a>'
        '</blockquote><script async src="https://platform.twitter.com/widgets.js"></script></div>'
    )
    paragraphs = BODY.split("\n<p>")
    html = page(paragraphs[0] + "\n<p>" + paragraphs[1] + tweet + "\n<p>" + paragraphs[2])
    found = extract_html(html)
    assert found is not None
    assert "finally banned plastic cups" in found.text
    assert found.text.index("finally banned") < found.text.index("fewer than fifty staff")  # in reading order


def test_text_without_spaces_counts_as_words():
    body = "".join(f"<p>{s}</p>" for s in ["今日は新しい図書館が開館しました。", "市長は式典で挨拶をしました。"] * 4)
    found = extract_html(page(body * 2))
    assert found is not None and "図書館" in found.text


def test_works_without_readability(monkeypatch):
    import tidings.ingest.html as html_module

    monkeypatch.setattr(html_module, "readability_text", lambda page, url=None: None)
    found = extract_html(PAGE)
    assert found is not None and "three-week closure" in found.text


def test_one_trafilatura_mode_failing_loses_nothing_else(monkeypatch):
    import trafilatura

    real = trafilatura.bare_extraction

    def precise_breaks(tree, **kwargs):
        if kwargs["favor_precision"]:
            raise RecursionError("maximum recursion depth exceeded")
        return real(tree, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", precise_breaks)
    found = extract_html(PAGE)
    assert found is not None and "three-week closure" in found.text
    assert found.title == "Harbour bridge to reopen Monday"  # the default mode's metadata still counts


def test_standfirst_and_a_lead_only_one_extractor_keeps_are_body():
    html = page(
        "<h1>Parliament bans plastic cups at events</h1>"
        "<p class='standfirst'>Organisers get a year to switch to reusable cups under the new regional law.</p>"
        + BODY
        + "<p>Share this: <a href='/f'>Facebook</a> <a href='/t'>Twitter</a></p>"
    )
    found = extract_html(html)
    assert found is not None
    assert found.text.startswith("Organisers get a year to switch")  # the standfirst, not the headline
    assert "fewer than fifty staff" in found.text and "Facebook" not in found.text
    strict = extract_html(html, favor_precision=True)
    assert strict is not None and "fewer than fifty staff" in strict.text


def test_html_to_text_and_link_density():
    from tidings.ingest.html import LinkIndex, html_to_text

    assert html_to_text("<div><p>One <b>two</b></p><ul><li>three</li><li>four</li></ul></div>") == (
        "One two\nthree\nfour"
    )
    assert html_to_text("") == ""
    links = LinkIndex(["Ten things to know", "things", "Home"])
    assert links.density("Read more: Ten things to know") == pytest.approx(18 / 29)
    assert links.density("No links here at all") == 0.0
    assert links.density("Home, Home and Home") == pytest.approx(12 / 19)
    assert links.density("Jane DoeJane Doe, senator, said") == 0.0
    assert LinkIndex(["Jane Doe"]).density("Jane DoeJane Doe") == 1.0  # glued text still counts
    assert links.density("") == 0.0
