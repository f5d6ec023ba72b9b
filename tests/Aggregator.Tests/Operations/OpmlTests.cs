using System.Xml.Linq;
using Aggregator.Core.Configuration;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Operations;

public class OpmlTests
{
    private const string Subscriptions = """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="2.0"><head><title>My subscriptions</title></head><body>
          <outline text="World" title="World">
            <outline type="rss" text="Gulf Wire" title="Gulf Wire — World" xmlUrl="https://gulfwire.example/feed.xml" htmlUrl="https://gulfwire.example/"/>
            <outline type="rss" text="Nörth Post" xmlUrl="https://northpost.example/atom.xml"/>
          </outline>
          <outline text="Tech"><outline text="Sub"><outline type="rss" text="Gadgets" xmlUrl="https://gadgets.example/rss"/></outline></outline>
          <outline type="rss" text="Loose feed" xmlUrl="https://loose.example/rss"/>
          <outline type="rss" text="Gulf Wire again" xmlUrl="https://www.gulfwire.example/feed.xml/"/>
          <outline type="rss" text="Not web" xmlUrl="file:///etc/passwd"/>
        </body></opml>
        """;

    [Fact]
    public void ReadFindsFeedsWithTheirFolders()
    {
        var feeds = Opml.Read(Subscriptions);
        Assert.Equal(["Gulf Wire — World", "Nörth Post", "Gadgets", "Loose feed", "Gulf Wire again"], feeds.Select(f => f.Title));
        Assert.Equal(["World", "World", "Sub", null, null], feeds.Select(f => f.Category));
        Assert.Throws<FormatException>(() => Opml.Read("<html/>"));
        Assert.Throws<FormatException>(() => Opml.Read("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><opml>&e;</opml>"));
    }

    [Fact]
    public void ImportDerivesIdsSkipsDuplicatesAndKeepsTheRestOfTheFile()
    {
        const string json = """
            // operators comment their files
            {"output":{"title":"Mine"},"feeds":[{"id":"loose","url":"https://other.example/rss"}]}
            """;
        var result = Opml.AddTo(json, Opml.Read(Subscriptions));
        Assert.Equal(["gulf-wire-world", "north-post", "gadgets", "loose-feed"], result.Added);
        Assert.Equal(["https://www.gulfwire.example/feed.xml/ (already subscribed)"], result.Skipped);
        var (config, errors) = ConfigLoader.Parse(result.Json, "/tmp");
        Assert.Empty(errors);
        Assert.Equal("Mine", config!.Output.Title);
        Assert.Equal(["loose", "gulf-wire-world", "north-post", "gadgets", "loose-feed"], config.Feeds.Select(f => f.Id));
        Assert.Equal("Sub", config.FindFeed("gadgets")!.Category);
        Assert.Equal("World", config.FindFeed("loose-feed")!.Category);

        // Importing the same list again adds nothing.
        Assert.Empty(Opml.AddTo(result.Json, Opml.Read(Subscriptions)).Added);
    }

    [Fact]
    public async Task ExportThenImportRoundTripsThroughTheCommandLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("feeds.json"), """
            {"feeds":[{"id":"a","url":"https://a.example/rss","title":"Alpha","category":"World"},
                      {"id":"b","url":"https://b.example/atom","category":"Sport"}]}
            """);
        var export = await CliProcess.Run(["opml", "export", "--config", dir.File("feeds.json")]);
        Assert.Equal(0, export.Exit);
        var opml = XDocument.Parse(export.Stdout);
        Assert.Equal("2.0", opml.Root!.Attribute("version")!.Value);
        Assert.Equal(["World", "Sport"], opml.Root.Element("body")!.Elements("outline").Select(o => o.Attribute("text")!.Value));
        File.WriteAllText(dir.File("export.opml"), export.Stdout);

        File.WriteAllText(dir.File("empty.json"), """{"feeds":[]}""");
        var import = await CliProcess.Run(["opml", "import", "--config", dir.File("empty.json"), dir.File("export.opml")]);
        Assert.True(import.Exit == 0, import.Stderr);
        Assert.Contains("2 feeds added", import.Stdout);
        var imported = ConfigLoader.Load(dir.File("empty.json"));
        Assert.Equal([("alpha", "https://a.example/rss", "World"), ("b", "https://b.example/atom", "Sport")],
            imported.Feeds.Select(f => (f.Id, f.Url.ToString(), f.Category)));

        var again = await CliProcess.Run(["opml", "import", "--config", dir.File("empty.json"), dir.File("export.opml")]);
        Assert.Contains("0 feeds added", again.Stdout);
        Assert.Contains("already subscribed", again.Stdout);
        var missing = await CliProcess.Run(["opml", "import", "--config", dir.File("empty.json"), dir.File("nope.opml")]);
        Assert.Equal(2, missing.Exit);
    }
}
