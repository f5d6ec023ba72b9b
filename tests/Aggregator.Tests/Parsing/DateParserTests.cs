using Aggregator.Core.Parsing;

namespace Aggregator.Tests.Parsing;

public class DateParserTests
{
    [Theory]
    [InlineData("Wed, 22 Mar 2023 08:00:00 +0000", "2023-03-22T08:00:00Z")]
    [InlineData("Wed, 22 Mar 2023 08:00:00 GMT", "2023-03-22T08:00:00Z")]
    [InlineData("Wed, 22 Mar 2023 03:00:00 EST", "2023-03-22T08:00:00Z")]
    [InlineData("Wed, 22 Mar 2023 01:00:00 PDT", "2023-03-22T08:00:00Z")]
    [InlineData("22 Mar 2023 09:00:00 +0100", "2023-03-22T08:00:00Z")]
    [InlineData("Thu, 22 Mar 2023 08:00:00 +0000", "2023-03-22T08:00:00Z")]
    [InlineData("Wed,  22  Mar  2023  08:00:00  GMT", "2023-03-22T08:00:00Z")]
    [InlineData("Wed, 22 Mar 23 08:00:00 GMT", "2023-03-22T08:00:00Z")]
    [InlineData("Wed, 22 March 2023 08:00 GMT", "2023-03-22T08:00:00Z")]
    [InlineData("2023-03-22T08:00:00Z", "2023-03-22T08:00:00Z")]
    [InlineData("2023-03-22T10:00:00+02:00", "2023-03-22T08:00:00Z")]
    [InlineData("2023-03-22T08:00:00.123Z", "2023-03-22T08:00:00Z")]
    [InlineData("2023-03-22 08:00:00", "2023-03-22T08:00:00Z")]
    [InlineData("2023-03-22", "2023-03-22T00:00:00Z")]
    [InlineData("20230322T080000Z", "2023-03-22T08:00:00Z")]
    public void CommonFormatsParseToUtc(string text, string expected)
    {
        var parsed = DateParser.Parse(text);
        Assert.NotNull(parsed);
        Assert.Equal(expected, parsed.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Wed, 32 Mar 2023 08:00:00 GMT")]
    [InlineData("2023-13-01T00:00:00Z")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    public void NonsenseIsNull(string text) => Assert.Null(DateParser.Parse(text));
}
