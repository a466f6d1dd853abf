namespace Smets1Sim.Policy.Loading;

/// <summary>
/// A policy file the loader cannot accept. <see cref="Exception.Message"/> is one line,
/// <c>FILE:LINE: field 'PATH': problem</c> (or <c>FILE:LINE: problem</c> for a syntax error), which a command
/// line prints as it is.
/// </summary>
public sealed class PolicyFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PolicyFileException(string file, int line, string? field, string problem, Exception? inner = null)
        : base(Format(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates an exception with a message only (for serializers and tools).</summary>
    public PolicyFileException()
        : this("?", 0, null, "invalid policy file")
    {
    }

    /// <summary>Creates an exception with a message only (for serializers and tools).</summary>
    public PolicyFileException(string message)
        : this("?", 0, null, message)
    {
    }

    /// <summary>Creates an exception with a message only (for serializers and tools).</summary>
    public PolicyFileException(string message, Exception innerException)
        : this("?", 0, null, message, innerException)
    {
    }

    /// <summary>The file as the caller named it.</summary>
    public string File { get; }

    /// <summary>1-based line of the offending value; 0 when the file could not be read at all.</summary>
    public int Line { get; }

    /// <summary>The field path, e.g. <c>rules[0].maxInterval</c>; null for a syntax error.</summary>
    public string? Field { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Format(string file, int line, string? field, string problem)
    {
        string where = line > 0 ? $"{file}:{line}" : file;
        return field is null ? $"{where}: {problem}" : $"{where}: field '{field}': {problem}";
    }
}
