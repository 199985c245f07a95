using System.Globalization;
using System.Security;
using System.Text;

namespace VectLite.Bench;

/// <summary>A point of a <see cref="SvgPlot"/> series, drawn with its label beside it.</summary>
/// <param name="X">Horizontal value (linear axis).</param>
/// <param name="Y">Vertical value (logarithmic axis), positive.</param>
/// <param name="Label">Text drawn next to the point.</param>
internal sealed record SvgPoint(double X, double Y, string Label);

/// <summary>
/// A line chart written as a standalone SVG file by hand: a linear x axis, a logarithmic y axis, one polyline with
/// labelled markers per series, dotted vertical reference lines, axis titles and a legend.
/// </summary>
internal sealed class SvgPlot(string title, string xTitle, string yTitle)
{
    private const double Width = 800, Height = 520;
    private const double Left = 80, Right = 24, Top = 44, Bottom = 64;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    private readonly List<(string Name, string Color, bool Dashed, IReadOnlyList<SvgPoint> Points)> _series = [];
    private readonly List<(double X, string Label)> _markers = [];

    /// <summary>Adds a series drawn in <paramref name="color"/> (any SVG colour), solid or dashed, through its points in order.</summary>
    public void AddSeries(string name, string color, bool dashed, IEnumerable<SvgPoint> points)
    {
        SvgPoint[] list = [.. points];
        if (list.Any(p => p.Y <= 0 || !double.IsFinite(p.Y) || !double.IsFinite(p.X)))
        {
            throw new ArgumentException("Every point needs a finite x and a positive, finite y (the y axis is logarithmic).", nameof(points));
        }
        _series.Add((name, color, dashed, list));
    }

    /// <summary>Adds a dotted vertical line at <paramref name="x"/>, labelled at the top.</summary>
    public void AddVerticalMarker(double x, string label) => _markers.Add((x, label));

    /// <summary>Writes the chart to <paramref name="path"/>, creating its folder.</summary>
    /// <exception cref="InvalidOperationException">No series has a point.</exception>
    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, Render());
    }

    /// <summary>The SVG document.</summary>
    /// <exception cref="InvalidOperationException">No series has a point.</exception>
    public string Render()
    {
        SvgPoint[] all = [.. _series.SelectMany(s => s.Points)];
        if (all.Length == 0)
        {
            throw new InvalidOperationException("A plot needs at least one point.");
        }

        double xMin = all.Min(p => p.X), xMax = all.Max(p => p.X);
        foreach ((double x, _) in _markers)
        {
            xMin = Math.Min(xMin, x);
            xMax = Math.Max(xMax, x);
        }
        double xPad = Math.Max((xMax - xMin) * 0.06, 0.005);
        xMin -= xPad;
        xMax += xPad;
        double yMin = Math.Log10(all.Min(p => p.Y) / 1.25), yMax = Math.Log10(all.Max(p => p.Y) * 1.25);

        double PixelX(double x) => Left + ((x - xMin) / (xMax - xMin) * PlotWidth);
        double PixelY(double y) => Top + PlotHeight - ((Math.Log10(y) - yMin) / (yMax - yMin) * PlotHeight);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(Width)}\" height=\"{N(Height)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{N(Width)}\" height=\"{N(Height)}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Width / 2)}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>\n");

        // Grid and tick labels.
        foreach (double x in LinearTicks(xMin, xMax))
        {
            double px = PixelX(x);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(px)}\" y1=\"{N(Top)}\" x2=\"{N(px)}\" y2=\"{N(Top + PlotHeight)}\" stroke=\"#e4e4e4\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(px)}\" y=\"{N(Top + PlotHeight + 18)}\" text-anchor=\"middle\">{x.ToString("0.###", CultureInfo.InvariantCulture)}</text>\n");
        }
        foreach (double y in LogTicks(yMin, yMax))
        {
            double py = PixelY(y);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(Left)}\" y1=\"{N(py)}\" x2=\"{N(Left + PlotWidth)}\" y2=\"{N(py)}\" stroke=\"#e4e4e4\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left - 8)}\" y=\"{N(py + 4)}\" text-anchor=\"end\">{Format.Count(y)}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(Left)}\" y=\"{N(Top)}\" width=\"{N(PlotWidth)}\" height=\"{N(PlotHeight)}\" fill=\"none\" stroke=\"#444\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left + (PlotWidth / 2))}\" y=\"{N(Height - 18)}\" text-anchor=\"middle\" font-size=\"13\">{Escape(xTitle)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(20 {N(Top + (PlotHeight / 2))}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">{Escape(yTitle)}</text>\n");

        foreach ((double x, string label) in _markers)
        {
            double px = PixelX(x);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(px)}\" y1=\"{N(Top)}\" x2=\"{N(px)}\" y2=\"{N(Top + PlotHeight)}\" stroke=\"#888\" stroke-dasharray=\"2 4\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(px - 4)}\" y=\"{N(Top + 14)}\" text-anchor=\"end\" fill=\"#666\">{Escape(label)}</text>\n");
        }

        // Series: the line, then each point with its label (above for even series, below for odd, to keep them apart).
        for (int s = 0; s < _series.Count; s++)
        {
            (string _, string color, bool dashed, IReadOnlyList<SvgPoint> points) = _series[s];
            string path = string.Join(' ', points.Select(p => $"{N(PixelX(p.X))},{N(PixelY(p.Y))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"7 4\"" : "")}/>\n");
            double dy = s % 2 == 0 ? -8 : 17;
            foreach (SvgPoint p in points)
            {
                double px = PixelX(p.X), py = PixelY(p.Y);
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(px)}\" cy=\"{N(py)}\" r=\"3.5\" fill=\"{color}\"/>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(px + 5)}\" y=\"{N(py + dy)}\" fill=\"{color}\" font-size=\"11\">{Escape(p.Label)}</text>\n");
            }
        }

        // Legend, bottom left inside the plot (the curves run from top left to bottom right).
        double lineHeight = 18, legendHeight = (lineHeight * _series.Count) + 10;
        double legendWidth = 24 + (7 * _series.Max(s => s.Name.Length)) + 30;
        double lx = Left + 10, ly = Top + PlotHeight - legendHeight - 10;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(lx)}\" y=\"{N(ly)}\" width=\"{N(legendWidth)}\" height=\"{N(legendHeight)}\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>\n");
        for (int s = 0; s < _series.Count; s++)
        {
            (string name, string color, bool dashed, _) = _series[s];
            double y = ly + 5 + (lineHeight * (s + 0.5));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(lx + 8)}\" y1=\"{N(y)}\" x2=\"{N(lx + 32)}\" y2=\"{N(y)}\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"7 4\"" : "")}/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(lx + 40)}\" y=\"{N(y + 4)}\">{Escape(name)}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Round values 1, 2, 2.5 or 5 x 10^k apart, about six across [min, max].</summary>
    private static IEnumerable<double> LinearTicks(double min, double max)
    {
        double raw = (max - min) / 6;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (double x = Math.Ceiling(min / step) * step; x <= max + (step * 1e-9); x += step)
        {
            yield return Math.Round(x / step) * step;
        }
    }

    /// <summary>1, 2 and 5 x 10^k between 10^<paramref name="logMin"/> and 10^<paramref name="logMax"/>; every integer multiple when that gives fewer than three.</summary>
    private static List<double> LogTicks(double logMin, double logMax)
    {
        List<double> Ticks(int[] multiples)
        {
            var ticks = new List<double>();
            for (int k = (int)Math.Floor(logMin); k <= (int)Math.Ceiling(logMax); k++)
            {
                foreach (int m in multiples)
                {
                    double value = m * Math.Pow(10, k);
                    double log = Math.Log10(value);
                    if (log >= logMin && log <= logMax)
                    {
                        ticks.Add(value);
                    }
                }
            }
            return ticks;
        }
        List<double> coarse = Ticks([1, 2, 5]);
        return coarse.Count >= 3 ? coarse : Ticks([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
