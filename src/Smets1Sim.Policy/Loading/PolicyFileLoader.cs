using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Loading;

/// <summary>The syntax of a policy file.</summary>
public enum PolicyFileFormat
{
    /// <summary>YAML (read with YamlDotNet).</summary>
    Yaml,

    /// <summary>JSON (read with System.Text.Json).</summary>
    Json,
}

/// <summary>
/// Loads custom policies from <c>.yaml</c>, <c>.yml</c> or <c>.json</c> files (format in
/// <see cref="PolicyDocumentParser"/>). Every mistake becomes one <see cref="PolicyFileException"/> whose message
/// names the file, the line and the field.
/// </summary>
public static class PolicyFileLoader
{
    /// <summary>Files larger than this are refused before they are read: a policy is a few hundred bytes.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Reads and parses a policy file; the format follows the extension.</summary>
    public static async Task<KeyPolicy> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PolicyFileFormat format = FormatOf(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new PolicyFileException(path, 0, null, $"larger than {MaxFileBytes} bytes");
            }

            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyFileException(path, 0, null, $"cannot read: {e.Message}", e);
        }

        return Parse(path, text, format);
    }

    /// <summary>Parses policy text; <paramref name="file"/> is only used in error messages.</summary>
    public static KeyPolicy Parse(string file, string text, PolicyFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(text);
        PolicyNode root = format == PolicyFileFormat.Json ? JsonPolicyReader.Read(file, text) : YamlPolicyReader.Read(file, text);
        return PolicyDocumentParser.Parse(file, root);
    }

    /// <summary>The format a file name's extension names.</summary>
    public static PolicyFileFormat FormatOf(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".YAML" or ".YML" => PolicyFileFormat.Yaml,
        ".JSON" => PolicyFileFormat.Json,
        _ => throw new PolicyFileException(path, 0, null, "unknown extension (expected .yaml, .yml or .json)"),
    };
}
