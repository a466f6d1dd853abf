namespace Smets1Sim.Policy.Loading;

/// <summary>
/// A parsed policy document, the same for YAML and JSON, with the line of every value, so one validator
/// (<see cref="PolicyDocumentParser"/>) serves both formats and every error can name its line.
/// </summary>
internal abstract record PolicyNode(int Line);

/// <summary>A string, number or boolean, as written.</summary>
internal sealed record ScalarNode(int Line, string Value, bool IsNull) : PolicyNode(Line);

/// <summary>A sequence.</summary>
internal sealed record SequenceNode(int Line, IReadOnlyList<PolicyNode> Items) : PolicyNode(Line);

/// <summary>A mapping whose keys are distinct strings, kept in file order.</summary>
internal sealed record MappingNode(int Line, IReadOnlyList<KeyValuePair<string, PolicyNode>> Entries) : PolicyNode(Line);
