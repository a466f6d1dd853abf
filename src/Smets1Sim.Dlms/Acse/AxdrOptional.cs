using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// A-XDR usage flags (IEC 61334-6): an OPTIONAL or DEFAULT component is preceded by one byte, 0x00 when the
/// component is absent (or takes its default) and 0x01 when its value follows.
/// </summary>
internal static class AxdrOptional
{
    /// <summary>Reads a usage flag; anything but 0x00 or 0x01 is a protocol error.</summary>
    public static bool ReadUsageFlag(ref DlmsReader reader, string what)
    {
        byte flag = reader.PeekByte($"usage flag of {what}");
        if (flag > 1)
        {
            throw reader.Error($"bad usage flag 0x{flag:X2} for {what}");
        }

        reader.ReadByte(what);
        return flag == 1;
    }
}
