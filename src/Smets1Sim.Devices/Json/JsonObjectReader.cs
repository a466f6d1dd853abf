using System.Text.Json;

namespace Smets1Sim.Devices.Json;

/// <summary>
/// Reads one JSON object field by field with the JSON path at hand, so every error names where it is; unknown
/// keys are errors (a typo must not be silently ignored).
/// </summary>
internal readonly struct JsonObjectReader
{
    private readonly JsonElement _element;

    public JsonObjectReader(JsonElement element, string path, params string[] allowed)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonPathException(path, $"expected an object, got {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        foreach (JsonProperty p in element.EnumerateObject())
        {
            if (System.Array.IndexOf(allowed, p.Name) < 0 && p.Name != "$schema")
            {
                throw new JsonPathException($"{path}.{p.Name}", $"unknown key (expected one of {string.Join(", ", allowed)})");
            }
        }

        _element = element;
    }

    public string Path { get; }

    public string At(string name) => $"{Path}.{name}";

    public bool TryGet(string name, out JsonElement value)
        => _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement Required(string name)
        => TryGet(name, out JsonElement value) ? value : throw new JsonPathException(At(name), "is required");

    public string String(string name) => AsString(Required(name), At(name));

    public string? OptionalString(string name) => TryGet(name, out JsonElement v) ? AsString(v, At(name)) : null;

    public long Integer(string name, long min, long max) => AsInteger(Required(name), At(name), min, max);

    public long? OptionalInteger(string name, long min, long max) => TryGet(name, out JsonElement v) ? AsInteger(v, At(name), min, max) : null;

    public bool Boolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return defaultValue;
        }

        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw new JsonPathException(At(name), "expected true or false");
    }

    public double Number(string name, double defaultValue)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return defaultValue;
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new JsonPathException(At(name), "expected a number");
    }

    public T Enum<T>(string name, IReadOnlyDictionary<string, T> names, T defaultValue)
    {
        string? text = OptionalString(name);
        if (text is null)
        {
            return defaultValue;
        }

        return names.TryGetValue(text, out T? value) ? value : throw new JsonPathException(At(name), $"\"{text}\" is not one of {string.Join(", ", names.Keys)}");
    }

    public IEnumerable<(JsonElement Item, string Path)> Array(string name, bool required = true)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return required ? throw new JsonPathException(At(name), "is required") : [];
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new JsonPathException(At(name), "expected an array");
        }

        string path = At(name);
        return v.EnumerateArray().Select((item, i) => (item, $"{path}[{i}]")).ToList();
    }

    public IEnumerable<(string Key, JsonElement Value, string Path)> Map(string name)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return [];
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new JsonPathException(At(name), "expected an object");
        }

        string path = At(name);
        return v.EnumerateObject().Select(p => (p.Name, p.Value, $"{path}.{p.Name}")).ToList();
    }

    public static string AsString(JsonElement v, string path)
        => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new JsonPathException(path, "expected a string");

    public static long AsInteger(JsonElement v, string path, long min, long max)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
        {
            throw new JsonPathException(path, "expected an integer");
        }

        return n >= min && n <= max ? n : throw new JsonPathException(path, $"{n} is out of range {min}..{max}");
    }

    /// <summary>Parses a whole file; syntax errors become <see cref="ConfigurationException"/> with the line.</summary>
    public static JsonDocument Parse(string text, string file)
    {
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException(file, $"line {(ex.LineNumber ?? 0) + 1}", $"not valid JSON: {ex.Message.Split(" LineNumber", 2)[0]}");
        }
    }
}
