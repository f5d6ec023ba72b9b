using Aggregator.Cli;

// The composition root: the one place the real clock is chosen. Everything else is handed this
// TimeProvider (a DI singleton in the host), so tests can run any of it on a FakeTimeProvider.
#pragma warning disable RS0030
return await CommandLine.RunAsync(args, TimeProvider.System);
#pragma warning restore RS0030
