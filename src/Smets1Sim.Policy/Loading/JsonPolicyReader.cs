using System.Text;
using System.Text.Json;

namespace Smets1Sim.Policy.Loading;

/// <summary>
/// Reads JSON into a <see cref="PolicyNode"/> tree with <see cref="Utf8JsonReader"/>. JsonDocument keeps no line
/// numbers, so the reader's byte offset of each token is turned into a line by counting newlines before it.
/// </summary>
internal static class JsonPolicyReader
{
    private const int MaxDepth = 16;

    public static PolicyNode Read(string file, string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth });
        var lines = new LineIndex(utf8);
        try
        {
            // The reader itself refuses an empty input and anything after the first value.
            reader.Read();
            PolicyNode root = ReadValue(file, ref reader, lines);
            reader.Read();
            return root;
        }
        catch (JsonException e)
        {
            // JsonException counts lines from 0.
            throw new PolicyFileException(file, (int)(e.LineNumber ?? 0) + 1, null, $"not valid JSON: {FirstSentence(e.Message)}", e);
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    private static PolicyNode ReadValue(string file, ref Utf8JsonReader reader, LineIndex lines)
    {
        int line = lines.LineOf(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, PolicyNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    int nameLine = lines.LineOf(reader.TokenStartIndex);
                    if (!seen.Add(name))
                    {
                        throw new PolicyFileException(file, nameLine, null, $"duplicate key '{name}'");
                    }

                    reader.Read();
                    entries.Add(new(name, ReadValue(file, ref reader, lines)));
                }

                return new MappingNode(line, entries);
            case JsonTokenType.StartArray:
                var items = new List<PolicyNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(file, ref reader, lines));
                }

                return new SequenceNode(line, items);
            case JsonTokenType.String:
                return new ScalarNode(line, reader.GetString()!, false);
            case JsonTokenType.Null:
                return new ScalarNode(line, "", true);
            default:
                // Numbers and booleans keep their JSON spelling; the validator decides what they may be.
                return new ScalarNode(line, Encoding.UTF8.GetString(reader.ValueSpan), false);
        }
    }

    /// <summary>Byte offset to 1-based line.</summary>
    private sealed class LineIndex(byte[] utf8)
    {
        private readonly List<long> _starts = Starts(utf8);

        public int LineOf(long offset)
        {
            int index = _starts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        private static List<long> Starts(byte[] utf8)
        {
            var starts = new List<long> { 0 };
            for (int i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    starts.Add(i + 1);
                }
            }

            return starts;
        }
    }
}
