using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api;

/// <summary>RFC 9457 problem responses that name the offending parameter.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadParameter(string parameter, string detail) =>
        TypedResults.Problem(detail: $"{parameter}: {detail}", statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid parameter", extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(detail: what, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>Thrown by query parsing; turned into a 400 problem by the endpoint.</summary>
internal sealed class BadParameterException(string parameter, string detail) : Exception(detail)
{
    public string Parameter { get; } = parameter;
    public ProblemHttpResult ToProblem() => Problems.BadParameter(Parameter, Message);
}
