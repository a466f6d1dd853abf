namespace Smets1Sim.Cosem.Classes;

/// <summary>An object definition (from a device profile) is invalid: unknown class, attribute or value type.</summary>
public sealed class CosemConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CosemConfigurationException(string message)
        : base(message)
    {
    }
}
