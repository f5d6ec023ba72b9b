using System.Globalization;
using System.Text;

namespace Aggregator.Api;

/// <summary>A feed's last seven days as a tiny inline SVG bar chart (no script, no style attribute: the CSP allows neither).</summary>
internal static class StatusChart
{
    private const int BarWidth = 10;
    private const int Gap = 3;
    private const int Height = 28;

    /// <param name="perDay">Index 0 is the last 24 hours; drawn on the right, the oldest day on the left.</param>
    public static string Svg(IReadOnlyList<int> perDay)
    {
        var max = Math.Max(1, perDay.Max());
        var width = perDay.Count * (BarWidth + Gap) - Gap;
        var total = perDay.Sum();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"bars\" width=\"{width}\" height=\"{Height}\" viewBox=\"0 0 {width} {Height}\" role=\"img\" aria-label=\"{total} stories in 7 days\">");
        for (var i = 0; i < perDay.Count; i++)
        {
            var day = perDay.Count - 1 - i;
            var count = perDay[day];
            var h = count == 0 ? 1 : Math.Max(2, (int)Math.Round((double)count / max * (Height - 2)));
            var label = day == 0 ? "last 24 h" : $"{day}–{day + 1} days ago";
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"{(count == 0 ? "bar0" : "bar")}\" x=\"{i * (BarWidth + Gap)}\" y=\"{Height - h}\" width=\"{BarWidth}\" height=\"{h}\"><title>{label}: {count}</title></rect>");
        }
        return svg.Append("</svg>").ToString();
    }
}
