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
    [InlineData("03-12-31", "2003-12-31T00:00:00Z")]
    [InlineData("-0312", "2003-12-01T00:00:00Z")]
    [InlineData("2003-335", "2003-12-01T00:00:00Z")]
    [InlineData("Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z")]
    [InlineData("Thu Aug 30 2012 17:26:16 +0200", "2012-08-30T15:26:16Z")]
    [InlineData("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z")]
    [InlineData("Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00Z")]
    [InlineData("Κυρ, 11 Ιούλ 2004 12:00:00 EST", "2004-07-11T17:00:00Z")]
    [InlineData("2004-05-25 오후 11:23:17", "2004-05-25T14:23:17Z")]
    [InlineData("2004-július-13T9:15-05:00", "2004-07-13T14:15:00Z")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT", "9999-12-31T23:59:59Z")]
    // Malformed variants: AM/PM, one-digit fields, three-digit years, "GMT+1", zone before the year, no time.
    [InlineData("29 Jan 2008 4:27:48 PM", "2008-01-29T16:27:48Z")]
    [InlineData("Sun, 16 Dec 2012 1:2:3 PST", "2012-12-16T09:02:03Z")]
    [InlineData("Thu, 01 Jan 100 00:00:01 +0100", "0099-12-31T23:00:01Z")]
    [InlineData("Wed, 02 Oct 2002 13:00:00 GMT+1", "2002-10-02T12:00:00Z")]
    [InlineData("Thu Jan 01 2004 19:48:21 GMT+0100 (CET)", "2004-01-01T18:48:21Z")]
    [InlineData("Sun Jan 4 16:29:06 PST 2004", "2004-01-05T00:29:06Z")]
    [InlineData("May 12, 2009", "2009-05-12T00:00:00Z")]
    // Localised names (one table, LocalisedDates): pt, es, fr, de, it, nl, and their malformed variants.
    [InlineData("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T22:42:40Z")]
    [InlineData("Ter, 02 Out 2018 10:00:00 -0300", "2018-10-02T13:00:00Z")]
    [InlineData("24 de setembro de 2018 19:42:40 -0300", "2018-09-24T22:42:40Z")]
    [InlineData("Sáb, 22 Dic 2018 10:00:00 GMT", "2018-12-22T10:00:00Z")]
    [InlineData("lun, 14 ene 2019 10:00:00 +0100", "2019-01-14T09:00:00Z")]
    [InlineData("mer., 3 oct. 2018 10:00:00 +0200", "2018-10-03T08:00:00Z")]
    [InlineData("ven, 17 août 2018 10:00:00 +0200", "2018-08-17T08:00:00Z")]
    [InlineData("ven, 17 aout 2018 10:00:00 +0200", "2018-08-17T08:00:00Z")]
    [InlineData("1er mars 2018 10:00:00 +0100", "2018-03-01T09:00:00Z")]
    [InlineData("Mi, 03 Okt 2018 10:00:00 +0200", "2018-10-03T08:00:00Z")]
    [InlineData("Do, 15 Mär 2018 10:00:00 +0100", "2018-03-15T09:00:00Z")]
    [InlineData("Mittwoch, 3. Oktober 2018 10:00:00 +0200", "2018-10-03T08:00:00Z")]
    [InlineData("mer, 03 ott 2018 10:00:00 +0200", "2018-10-03T08:00:00Z")]
    [InlineData("gio, 10 mag 2018 10:00:00 +0200", "2018-05-10T08:00:00Z")]
    [InlineData("wo, 03 okt 2018 10:00:00 +0200", "2018-10-03T08:00:00Z")]
    [InlineData("vr, 30 mrt 2018 10:00:00 +0200", "2018-03-30T08:00:00Z")]
    [InlineData("di, 1 mei 2018 10:00:00 +0200", "2018-05-01T08:00:00Z")]
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
    public void NonsenseIsNull(string text) => Assert.Null(DateParser.Parse(text));

    [Theory]
    [InlineData("Wed, 22 Mar 2023 08:00:00 +0000", "2023-03-22T08:00:00Z")]
    [InlineData("Wed, 22 Mar 2023 03:00:00 -0500", "2023-03-22T08:00:00Z")]
    [InlineData("Wed, 22 Mar 2023 08:00:00 GMT", "2023-03-22T08:00:00Z")]
    [InlineData("2023-03-22T10:00:00+02:00", "2023-03-22T08:00:00Z")]
    [InlineData("2023-03-22T08:00:00.5Z", "2023-03-22T08:00:00Z")]
    [InlineData("2024-02-29T23:59:59-08:00", "2024-03-01T07:59:59Z")]
    public void FastShapes_GiveWhatTheFullGrammarGives(string text, string expected)
    {
        var fast = FastDates.Parse(text);
        Assert.NotNull(fast);
        Assert.Equal(expected, fast.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(fast, DateParser.Parse(text));
    }

    [Theory]
    [InlineData("Wed, 22 Mar 2023 08:00:00 EST")] // named zones other than GMT/UTC: full grammar
    [InlineData("Wed, 31 Feb 2023 08:00:00 GMT")] // invalid day
    [InlineData("2023-03-22T24:00:00Z")]          // 24:00 is the next day: full grammar
    [InlineData("Seg, 24 Set 2018 19:42:40 -0300")] // localised: full grammar
    [InlineData("2023-03-22 08:00:00")]
    public void OddShapes_AreLeftToTheFullGrammar(string text) => Assert.Null(FastDates.Parse(text));
}
