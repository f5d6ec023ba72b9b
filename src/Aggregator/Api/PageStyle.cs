namespace Aggregator.Api;

/// <summary>The reading pages' only stylesheet: light, readable on a phone.</summary>
internal static class PageStyle
{
    public const string Css = """
        :root { color-scheme: light dark; --muted: #666; --line: #ddd; }
        body { font: 17px/1.55 Georgia, "Times New Roman", serif; max-width: 44rem; margin: 0 auto; padding: 1rem; }
        header h1 { font-family: system-ui, sans-serif; margin: .5rem 0 0; }
        a { color: #0645ad; }
        .feeds, .meta, .how, .more { font: 14px system-ui, sans-serif; color: var(--muted); }
        ol.stories { list-style: none; padding: 0; }
        li.story { border-bottom: 1px solid var(--line); padding: .9rem 0; overflow: hidden; }
        li.story h2 { font-size: 1.2rem; margin: 0 0 .2rem; }
        li.story h2 a { color: inherit; text-decoration: none; }
        li.story img { float: right; width: 7rem; height: 5rem; object-fit: cover; margin: 0 0 .5rem .8rem; border-radius: 4px; }
        .summary { margin: .3rem 0 0; }
        .article h1 { font-size: 1.8rem; line-height: 1.2; }
        .article img.lead, .article article img { max-width: 100%; height: auto; }
        .sources { border-top: 1px solid var(--line); margin-top: 2rem; font: 15px system-ui, sans-serif; }
        body.wide { max-width: 78rem; }
        .status { font: 14px/1.45 system-ui, sans-serif; }
        .status table { border-collapse: collapse; width: 100%; }
        .status th, .status td { border-bottom: 1px solid var(--line); padding: .45rem .5rem; text-align: left; vertical-align: top; }
        .status td.num { text-align: right; }
        .status .notice { background: #eef6ee; border: 1px solid #9c9; padding: .5rem .8rem; border-radius: 4px; }
        .dot { display: inline-block; width: .75rem; height: .75rem; border-radius: 50%; vertical-align: -1px; }
        .tone-ok { background: #2e9d4a; } .tone-warning { background: #e0a000; } .tone-failing { background: #d33; } .tone-disabled { background: #999; }
        svg.bars rect.bar { fill: #4a78c2; } svg.bars rect.bar0 { fill: var(--line); }
        .status button { font: inherit; padding: .15rem .6rem; cursor: pointer; }
        ul.learned { margin: .2rem 0 1rem; }
        @media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #333; } a { color: #8ab4f8; } .status .notice { background: #203020; } }
        """;
}
