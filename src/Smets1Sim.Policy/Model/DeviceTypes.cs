namespace Smets1Sim.Policy.Model;

/// <summary>
/// The SMETS1 device types a key policy names. They are strings, as in the device profiles, so the head-end maps
/// its store without a translation table; the S1SR section 20 clause names exactly these four (Communications Hub
/// Function, Smart Meter, Gas Proxy Function, PPMID).
/// </summary>
public static class DeviceTypes
{
    /// <summary>Communications Hub Function.</summary>
    public const string Chf = "CHF";

    /// <summary>Electricity Smart Metering Equipment.</summary>
    public const string Esme = "ESME";

    /// <summary>Gas Proxy Function.</summary>
    public const string Gpf = "GPF";

    /// <summary>Prepayment Meter Interface Device.</summary>
    public const string Ppmid = "PPMID";

    /// <summary>The four types, in the order reports list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Chf, Esme, Gpf, Ppmid];

    /// <summary>Returns the canonical spelling of a known type (case-insensitive), or null.</summary>
    public static string? Normalize(string text)
    {
        foreach (string type in All)
        {
            if (string.Equals(type, text, StringComparison.OrdinalIgnoreCase))
            {
                return type;
            }
        }

        return null;
    }
}
