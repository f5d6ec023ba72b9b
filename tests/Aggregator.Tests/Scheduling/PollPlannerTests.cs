using Aggregator.Core.Scheduling;

namespace Aggregator.Tests.Scheduling;

public class PollPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Fifteen = TimeSpan.FromMinutes(15);

    private static PollFacts Facts(bool ok = true, int failures = 0, DateTimeOffset? fresh = null, DateTimeOffset? retry = null,
        TimeSpan? hint = null, IReadOnlyList<DateTimeOffset>? times = null, bool gone = false, TimeSpan? interval = null) =>
        new(interval ?? Fifteen, ok, gone, failures, fresh, retry, hint, times ?? []);

    private static TimeSpan Delay(PollFacts facts) => PollPlanner.Plan(facts, Now, new Random(7)).Next!.Value - Now;

    [Fact]
    public void ConfiguredIntervalWithTenPercentJitter()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var delay = PollPlanner.Plan(Facts(), Now, new Random(seed)).Next!.Value - Now;
            Assert.InRange(delay, Fifteen * 0.9, Fifteen * 1.1);
        }
    }

    [Fact]
    public void SlowPostingFeedsArePolledLessOften()
    {
        var daily = Enumerable.Range(0, 10).Select(i => Now.AddDays(-i)).ToList();
        var plan = PollPlanner.Plan(Facts(times: daily), Now, new Random(1));
        Assert.Equal(TimeSpan.FromHours(12), plan.Interval);
        Assert.Equal("posting rate", plan.Reason);
    }

    [Fact]
    public void BusyFeedsNeverGoBelowTheConfiguredInterval() =>
        Assert.Equal(Fifteen, PollPlanner.Plan(Facts(times: Enumerable.Range(0, 20).Select(i => Now.AddMinutes(-i)).ToList()), Now, new Random(1)).Interval);

    [Fact]
    public void IntervalsAreBoundedToAMinuteAndADay()
    {
        Assert.Equal(PollPlanner.Min, PollPlanner.Plan(Facts(interval: TimeSpan.FromSeconds(20)), Now, new Random(1)).Interval);
        Assert.Equal(PollPlanner.Max, PollPlanner.Plan(Facts(hint: TimeSpan.FromDays(30)), Now, new Random(1)).Interval);
        Assert.True(Delay(Facts(retry: Now.AddDays(9))) <= PollPlanner.Max);
    }

    [Fact]
    public void AnOperatorsOneMinuteInterval_IsHonouredWithinTheJitter_UnlessTheFeedAsksForSlower()
    {
        var daily = Enumerable.Range(0, 10).Select(i => Now.AddDays(-i)).ToList();
        var minute = new PollFacts(TimeSpan.FromMinutes(1), true, false, 0, null, null, null, daily, OperatorInterval: true);
        for (var seed = 0; seed < 20; seed++)
            Assert.InRange(PollPlanner.Plan(minute, Now, new Random(seed)).Next!.Value - Now, TimeSpan.FromSeconds(54), TimeSpan.FromSeconds(66));
        Assert.Equal(TimeSpan.FromHours(1), PollPlanner.Plan(minute with { PublisherHint = TimeSpan.FromHours(1) }, Now, new Random(1)).Interval);
        Assert.Equal(TimeSpan.FromMinutes(10), PollPlanner.Plan(minute with { FreshUntil = Now.AddMinutes(10) }, Now, new Random(1)).Next!.Value - Now);
        // Without an operator's interval, the same daily feed is polled at its posting rate.
        Assert.Equal(TimeSpan.FromHours(12), PollPlanner.Plan(minute with { OperatorInterval = false }, Now, new Random(1)).Interval);
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(5, 240)]
    [InlineData(12, 1440)]
    public void ErrorsBackOffExponentially(int failures, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), PollPlanner.Plan(Facts(ok: false, failures: failures), Now, new Random(1)).Interval);

    [Fact]
    public void FreshnessRetryAfterAndPublisherHintsPushTheNextPollOut()
    {
        Assert.Equal(TimeSpan.FromHours(2), Delay(Facts(fresh: Now.AddHours(2))));
        Assert.Equal(TimeSpan.FromHours(3), Delay(Facts(ok: false, failures: 1, retry: Now.AddHours(3))));
        Assert.InRange(Delay(Facts(hint: TimeSpan.FromHours(3))), TimeSpan.FromHours(2.7), TimeSpan.FromHours(3.3));
    }

    [Fact]
    public void AGoneFeedIsNotPolledAgain() => Assert.Null(PollPlanner.Plan(Facts(ok: false, gone: true), Now, new Random(1)).Next);
}
