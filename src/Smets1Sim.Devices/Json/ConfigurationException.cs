namespace Smets1Sim.Devices.Json;

/// <summary>
/// A user-supplied file (profile, fleet file, state file) is wrong. <see cref="Exception.Message"/> is one line
/// naming the file, the JSON path inside it and what is wrong.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string file, string path, string problem)
        : base($"{file}: {path}: {problem}")
    {
        File = file;
        JsonPath = path;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>JSON path inside the file ("$" for the whole file).</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}

/// <summary>A problem found at a path, before the file name is known.</summary>
internal sealed class JsonPathException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;

    public string Problem { get; } = problem;
}
