using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api;

/// <summary>RFC 9457 problem responses that name the offending parameter.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadParameter(string parameter, string detail, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(detail: $"{parameter}: {detail}", statusCode: status,
            title: status == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Invalid parameter",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(detail: what, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>Thrown by query and body parsing; turned into a 400 (or 413 for an oversized body) problem by the endpoint.</summary>
internal sealed class BadParameterException(string parameter, string detail, int status = StatusCodes.Status400BadRequest) : Exception(detail)
{
    public string Parameter { get; } = parameter;
    public int Status { get; } = status;
    public ProblemHttpResult ToProblem() => Problems.BadParameter(Parameter, Message, Status);
}
