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
