using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem;

/// <summary>Conversions between logical names and COSEM values.</summary>
public static class ObisCodeExtensions
{
    /// <summary>The logical name as the octet-string of 6 bytes that attribute 1 carries.</summary>
    public static DlmsOctetString ToOctetString(this ObisCode code)
    {
        Span<byte> bytes = stackalloc byte[ObisCode.Size];
        code.WriteTo(bytes);
        return DlmsValue.OctetString(bytes);
    }

    /// <summary>Reads a logical name from a 6-byte octet-string; false for anything else.</summary>
    public static bool TryGetObisCode(this DlmsValue value, out ObisCode code)
    {
        if (value is DlmsOctetString { Value.Length: ObisCode.Size } octets)
        {
            code = ObisCode.Read(octets.Span);
            return true;
        }

        code = default;
        return false;
    }
}
