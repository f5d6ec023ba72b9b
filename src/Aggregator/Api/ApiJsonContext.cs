using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Scheduling;
using Aggregator.Webhooks;

namespace Aggregator.Api;

/// <summary>
/// The JSON shapes the service answers with and posts, described at compile time: no reflection when a
/// body is written, so the native-AOT build serves exactly what the JIT build serves. It is the only
/// resolver of the API's JSON options (a shape missing here fails in the tests, not in production).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(UnhealthyDto))]
[JsonSerializable(typeof(StoryListDto))]
[JsonSerializable(typeof(StoryDetailDto))]
[JsonSerializable(typeof(SplitDto))]
[JsonSerializable(typeof(List<FeedsApi.FeedHealthDto>))]
[JsonSerializable(typeof(List<OperationsApi.SiteDto>))]
[JsonSerializable(typeof(List<WebhooksApi.WebhookStatusDto>))]
[JsonSerializable(typeof(List<ConfigError>))]
[JsonSerializable(typeof(BackupResult))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(EventPayloadDto))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary><c>GET /health</c> when the store can write.</summary>
public sealed record HealthDto(string Status, int Stories);

/// <summary><c>GET /health</c> (503) when it cannot, or a read found the file damaged.</summary>
public sealed record UnhealthyDto(string Status, bool Writable, string? Error, DateTimeOffset? Since);
