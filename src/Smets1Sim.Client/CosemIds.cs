using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>The interface classes, objects and methods the client itself addresses (Blue Book).</summary>
internal static class CosemIds
{
    /// <summary>Data (class 1): holds the invocation counter 0-0:43.1.e.255.</summary>
    public const ushort DataClassId = 1;

    /// <summary>Association LN (class 15).</summary>
    public const ushort AssociationLnClassId = 15;

    /// <summary>Security setup (class 64).</summary>
    public const ushort SecuritySetupClassId = 64;

    /// <summary>Association LN method 1, reply_to_HLS_authentication: carries f(StoC) in pass 3.</summary>
    public const sbyte ReplyToHlsAuthenticationMethod = 1;

    /// <summary>Security setup method 2, key_transfer.</summary>
    public const sbyte KeyTransferMethod = 2;

    /// <summary>The current association, 0-0:40.0.0.255.</summary>
    public static ObisCode CurrentAssociation { get; } = new(0, 0, 40, 0, 0, 255);
}
