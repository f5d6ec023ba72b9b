using Aggregator.Cli;

return await CommandLine.RunAsync(args);
