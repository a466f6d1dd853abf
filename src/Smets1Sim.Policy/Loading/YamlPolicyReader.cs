using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Smets1Sim.Policy.Loading;

/// <summary>Reads YAML into a <see cref="PolicyNode"/> tree with YamlDotNet's representation model, which keeps line marks.</summary>
internal static class YamlPolicyReader
{
    /// <summary>Deeper than any policy needs; the representation model recurses once per level.</summary>
    private const int MaxDepth = 16;

    public static PolicyNode Read(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            CheckShape(file, text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PolicyFileException(file, (int)e.Start.Line, null, $"not valid YAML: {Inner(e).Message.TrimEnd('.')}", e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new PolicyFileException(file, 1, null, stream.Documents.Count == 0 ? "empty file" : "more than one YAML document");
        }

        return Convert(file, stream.Documents[0].RootNode);
    }

    /// <summary>
    /// Refuses aliases (a few lines of nested aliases expand to billions of nodes) and deep nesting, from the
    /// parser's events, before the representation model builds anything.
    /// </summary>
    private static void CheckShape(string file, string text)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    throw new PolicyFileException(file, (int)alias.Start.Line, null, "YAML aliases (*name) are not supported");
                case SequenceStart or MappingStart when ++depth > MaxDepth:
                    throw new PolicyFileException(file, (int)parser.Current.Start.Line, null, $"nested deeper than {MaxDepth} levels");
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }
    }

    private static Exception Inner(Exception e) => e.InnerException is YamlException inner ? Inner(inner) : e;

    private static PolicyNode Convert(string file, YamlNode node)
    {
        int line = (int)node.Start.Line;
        switch (node)
        {
            case YamlScalarNode scalar:
                bool isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ScalarNode(line, scalar.Value ?? "", isNull);
            case YamlSequenceNode sequence:
                return new SequenceNode(line, sequence.Children.Select(c => Convert(file, c)).ToList());
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, PolicyNode>>(mapping.Children.Count);
                foreach ((YamlNode key, YamlNode value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new PolicyFileException(file, (int)key.Start.Line, null, "a mapping key must be a plain string");
                    }

                    entries.Add(new(name, Convert(file, value)));
                }

                return new MappingNode(line, entries);
            default:
                throw new PolicyFileException(file, line, null, "aliases are not supported");
        }
    }
}
