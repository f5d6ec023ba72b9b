namespace Aggregator.Tests.Dedup;

/// <summary>
/// Pages one outlet fills from a template every day (league results, the weather, the markets
/// close): the fixed sentences repeat, the figures and names do not. Two days of the same
/// template are different stories.
/// </summary>
internal static class TemplatedPages
{
    private const string ResultsIntro = "Here are the full-time results from this weekend's matches in the national league, with goalscorers and attendance figures supplied by the league office.";
    private const string ResultsOutro = "Tables, fixtures and match reports are updated throughout the weekend. All times are local. Results may be corrected after the league's official review on Monday morning.";
    private const string WeatherIntro = "Our forecast for the day ahead, prepared by the duty meteorologist from the latest model runs and station reports across the region.";
    private const string WeatherOutro = "Forecasts are updated every six hours. For weather warnings, check the national service's website or listen to the regional radio bulletins on the hour.";
    private const string MarketsIntro = "Markets at the close: how the main indices, currencies and commodities ended the trading day, compiled from exchange data after the closing auction.";
    private const string MarketsOutro = "Prices are delayed by at least fifteen minutes and are provided for information only. This summary is not investment advice, and past performance is no guide to future returns.";

    public static IEnumerable<(string, string)> Pairs =>
    [
        (Results("Rovers", "United", 2, 1, "Hartley", "Mensah", 18204, "Athletic", "City", 0, 0, 9120, "Wanderers", "Town", 3, 2, "Okafor", "Lindqvist", 12777),
         Results("Albion", "Rangers", 1, 3, "Duarte", "Novak", 22510, "County", "Rovers", 2, 2, 8043, "Harriers", "Athletic", 0, 1, "Brennan", "Sato", 10388)),
        (Weather("Northport", 14, 6, "light rain spreading from the west by midday", 35, "fresh southwesterly", "Eastbury", 17, 9, "sunny spells after a misty start"),
         Weather("Northport", 9, 2, "a hard frost clearing to bright sunshine", 20, "light northerly", "Eastbury", 11, 3, "cloudy with the odd shower later")),
        (Markets(7512.4, 0.4, 16890.2, -0.3, 1.0854, 1.2671, 82.15, 2318.9, "banks led the gains after stronger lending figures", "chip makers"),
         Markets(7433.9, -1.1, 17102.6, 1.3, 1.0791, 1.2598, 79.44, 2351.2, "miners dragged the index lower as metal prices slid", "utilities")),
    ];

    private static string Results(string h1, string a1, int hg1, int ag1, string s1, string t1, int att1, string h2, string a2, int hg2, int ag2, int att2,
        string h3, string a3, int hg3, int ag3, string s3, string t3, int att3) => string.Join("\n\n",
        ResultsIntro,
        $"{h1} {hg1}, {a1} {ag1}. Goals: {s1} for {h1}, {t1} for {a1}. Attendance: {att1:N0}.",
        $"{h2} {hg2}, {a2} {ag2}. No goals were scored in the first half. Attendance: {att2:N0}.",
        $"{h3} {hg3}, {a3} {ag3}. Goals: {s3} for {h3}, {t3} for {a3}. Attendance: {att3:N0}.",
        ResultsOutro);

    private static string Weather(string city, int high, int low, string sky, int rain, string wind, string other, int otherHigh, int otherLow, string otherSky) => string.Join("\n\n",
        WeatherIntro,
        $"In {city}, expect {sky}, with a high of {high} degrees and a low overnight of {low} degrees. The chance of rain is {rain} percent, and the wind will be {wind}.",
        $"In {other}, it will be {otherSky}, with a high of {otherHigh} degrees and an overnight low of {otherLow} degrees.",
        WeatherOutro);

    private static string Markets(double ftse, double ftseChange, double dow, double dowChange, double euro, double pound, double oil, double gold, string mover, string laggard) => string.Join("\n\n",
        MarketsIntro,
        $"The main index closed at {ftse:0.0}, a change of {ftseChange:+0.0;-0.0} percent on the day, as {mover}. In New York, the Dow stood at {dow:0.0}, {dowChange:+0.0;-0.0} percent, with {laggard} the weakest sector.",
        $"The euro traded at {euro:0.0000} dollars and the pound at {pound:0.0000} dollars. Brent crude settled at {oil:0.00} dollars a barrel and gold at {gold:0.0} dollars an ounce.",
        MarketsOutro);
}
