using System.Globalization;
using System.Net;
using System.Text;

namespace Smets1Sim.Policy.Reporting;

/// <summary>A small SVG writer: numbers in invariant culture, text always encoded, no external references.</summary>
internal sealed class Svg
{
    private readonly StringBuilder _text = new();

    public Svg(int width, int height, string label)
    {
        _text.Append(CultureInfo.InvariantCulture, $"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Encode(label)}\">");
    }

    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public Svg Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    public Svg Rect(double x, double y, double w, double h, string fill, string? title = null)
    {
        _text.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(w, 0))}\" height=\"{N(Math.Max(h, 0))}\" fill=\"{fill}\"");
        _text.Append(title is null ? "/>" : $"><title>{Encode(title)}</title></rect>");
        return this;
    }

    public Svg Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        _text.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"");
        _text.Append(dash is null ? "/>" : $" stroke-dasharray=\"{dash}\"/>");
        return this;
    }

    public Svg Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 2, string? dash = null)
    {
        _text.Append("<polyline fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append('"');
        if (dash is not null)
        {
            _text.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        }

        _text.Append(" points=\"");
        foreach ((double x, double y) in points)
        {
            _text.Append(N(x)).Append(',').Append(N(y)).Append(' ');
        }

        _text.Append("\"/>");
        return this;
    }

    public Svg Text(double x, double y, string text, string anchor = "start", int size = 12, string fill = "#333", string weight = "normal")
    {
        _text.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"{fill}\" font-weight=\"{weight}\">{Encode(text)}</text>");
        return this;
    }

    public override string ToString() => _text + "</svg>";
}
