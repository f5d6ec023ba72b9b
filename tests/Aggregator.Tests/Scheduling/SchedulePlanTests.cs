using Aggregator.Core.Configuration;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Scheduling;

/// <summary>What a start or a reload changes in the stored schedule: planned feeds are left alone.</summary>
public class SchedulePlanTests
{
    private static readonly AggregatorConfig Config = TestConfigs.For("x.db",
        TestConfigs.Feed("kept", new Uri("http://127.0.0.1:9/kept.xml")),
        TestConfigs.Feed("unplanned", new Uri("http://127.0.0.1:9/unplanned.xml")),
        TestConfigs.Feed("moved", new Uri("http://127.0.0.1:9/moved-here.xml")),
        TestConfigs.Feed("new", new Uri("http://127.0.0.1:9/new.xml")));

    private static string Signature(string id) => SchedulePlan.Signature(Config.FindFeed(id)!, Config);

    [Fact]
    public void Of_ARestartOnTheSameConfig_ChangesNothing()
    {
        var jobs = Config.Feeds.ToDictionary(f => f.Id, f => (string?)Signature(f.Id));
        var plan = SchedulePlan.Of(jobs, jobs.Keys.ToHashSet(), new HashSet<string>(), Config);
        Assert.Empty(plan.Remove);
        Assert.Empty(plan.Store);
        Assert.Empty(plan.Replan);
        Assert.Empty(plan.Ensure);
    }

    [Fact]
    public void Of_AStoredSchedule_AddsMissingFeeds_RemovesUnconfigured_ReplansChanged_AndKeepsPlanned()
    {
        var jobs = new Dictionary<string, string?>
        {
            ["kept"] = Signature("kept"),
            ["unplanned"] = Signature("unplanned"),
            ["moved"] = "poll http://127.0.0.1:9/moved-from.xml every 01:00:00",
            ["gone"] = "poll http://127.0.0.1:9/gone.xml every 01:00:00",
        };
        var plan = SchedulePlan.Of(jobs, new HashSet<string> { "kept", "moved", "gone" }, new HashSet<string>(), Config);
        Assert.Equal(["gone"], plan.Remove);
        Assert.Equal(["moved", "new"], plan.Store.Select(f => f.Id));
        Assert.Equal(["moved"], plan.Replan.Select(f => f.Id));
        Assert.Equal(["unplanned", "new"], plan.Ensure.Select(f => f.Id));
    }

    [Fact]
    public void Of_AFeedDisabledByItsPublisher_IsStoredButNotPlanned_UnlessItsUrlChanged()
    {
        // A 410 leaves the feed with no trigger; a node that starts (an in-memory scheduler has no jobs at all
        // then), joins or reloads must not poll it again. A changed URL is a new feed to try.
        var disabled = new HashSet<string> { "kept", "unplanned", "moved", "new" };
        var jobs = new Dictionary<string, string?>
        {
            ["unplanned"] = Signature("unplanned"),
            ["moved"] = "poll http://127.0.0.1:9/moved-from.xml every 01:00:00",
        };
        var plan = SchedulePlan.Of(jobs, new HashSet<string>(), disabled, Config);
        Assert.Empty(plan.Ensure);
        Assert.Equal(["kept", "moved", "new"], plan.Store.Select(f => f.Id));
        Assert.Equal(["moved"], plan.Replan.Select(f => f.Id));
    }

    [Fact]
    public void Signature_ChangesWithTheEffectiveInterval()
    {
        var feed = Config.FindFeed("kept")!;
        var slower = Config with { Schedule = Config.Schedule with { DefaultInterval = TimeSpan.FromHours(2) } };
        Assert.NotEqual(SchedulePlan.Signature(feed, Config), SchedulePlan.Signature(feed, slower));
        Assert.Equal(SchedulePlan.Signature(feed, Config), SchedulePlan.Signature(feed with { Interval = TimeSpan.FromHours(1) }, Config));
    }

    [Fact]
    public void Backstop_IsWholeSeconds_AtLeastTheConfiguredIntervalAndAMinute()
    {
        // A persistent (clustered) job store refuses a repeat interval finer than a millisecond.
        Assert.Equal(TimeSpan.FromSeconds(62), SchedulingServices.Backstop(TimeSpan.FromMilliseconds(61_761.7), TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromMinutes(15), SchedulingServices.Backstop(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(15)));
        Assert.Equal(TimeSpan.FromMinutes(1), SchedulingServices.Backstop(TimeSpan.Zero, TimeSpan.FromSeconds(10)));
    }
}
