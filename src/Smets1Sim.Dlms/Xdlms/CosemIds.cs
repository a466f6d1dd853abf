namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// Interface class ids of the COSEM classes SMETS1 devices expose (Blue Book 4.x; docs/dlms-wire.md section 5).
/// The one place client, server and head-end take them from.
/// </summary>
public static class CosemClassIds
{
    /// <summary>Data (Blue Book 4.3.1): logical device name, invocation counters, event codes.</summary>
    public const ushort Data = 1;

    /// <summary>Register (4.3.2).</summary>
    public const ushort Register = 3;

    /// <summary>Extended register (4.3.3).</summary>
    public const ushort ExtendedRegister = 4;

    /// <summary>Profile generic (4.3.6): event logs, load profiles.</summary>
    public const ushort ProfileGeneric = 7;

    /// <summary>Clock (4.5.1).</summary>
    public const ushort Clock = 8;

    /// <summary>Association LN (4.4.3).</summary>
    public const ushort AssociationLn = 15;

    /// <summary>SAP assignment (4.4.5).</summary>
    public const ushort SapAssignment = 17;

    /// <summary>Push setup (4.4.8).</summary>
    public const ushort PushSetup = 40;

    /// <summary>Security setup (4.4.7).</summary>
    public const ushort SecuritySetup = 64;

    /// <summary>Disconnect control (4.5.8).</summary>
    public const ushort DisconnectControl = 70;

    /// <summary>Account (4.6.2).</summary>
    public const ushort Account = 111;

    /// <summary>Credit (4.6.3).</summary>
    public const ushort Credit = 112;

    /// <summary>Charge (4.6.4).</summary>
    public const ushort Charge = 113;

    /// <summary>Token gateway (4.6.5).</summary>
    public const ushort TokenGateway = 115;
}

/// <summary>Method ids (1-based, as on the wire) of the methods the key-management path invokes.</summary>
public static class CosemMethodIds
{
    /// <summary>Association LN method 1, reply_to_HLS_authentication: carries f(StoC) in HLS pass 3.</summary>
    public const sbyte ReplyToHlsAuthentication = 1;

    /// <summary>Security setup method 1, security_activate: strengthens the security policy.</summary>
    public const sbyte SecurityActivate = 1;

    /// <summary>Security setup method 2, key_transfer: installs RFC 3394-wrapped keys.</summary>
    public const sbyte KeyTransfer = 2;
}

/// <summary>Logical names of the objects every SMETS1 logical device exposes (docs/dlms-wire.md section 5).</summary>
public static class WellKnownObis
{
    /// <summary>Clock, 0-0:1.0.0.255.</summary>
    public static ObisCode Clock { get; } = new(0, 0, 1, 0, 0, 255);

    /// <summary>The current association, 0-0:40.0.0.255.</summary>
    public static ObisCode CurrentAssociation { get; } = new(0, 0, 40, 0, 0, 255);

    /// <summary>SAP assignment of the management logical device, 0-0:41.0.0.255.</summary>
    public static ObisCode SapAssignment { get; } = new(0, 0, 41, 0, 0, 255);

    /// <summary>Logical device name, 0-0:42.0.0.255.</summary>
    public static ObisCode LogicalDeviceName { get; } = new(0, 0, 42, 0, 0, 255);

    /// <summary>Security setup 0-0:43.0.<paramref name="instance"/>.255.</summary>
    public static ObisCode SecuritySetup(byte instance = 0) => new(0, 0, 43, 0, instance, 255);

    /// <summary>Invocation counter 0-0:43.1.<paramref name="instance"/>.255, tied to security setup 0-0:43.0.e.255.</summary>
    public static ObisCode InvocationCounter(byte instance = 0) => new(0, 0, 43, 1, instance, 255);

    /// <summary>Event log 0-0:99.98.<paramref name="instance"/>.255.</summary>
    public static ObisCode EventLog(byte instance = 0) => new(0, 0, 99, 98, instance, 255);

    /// <summary>Last event code 0-0:96.11.<paramref name="instance"/>.255.</summary>
    public static ObisCode EventCode(byte instance = 0) => new(0, 0, 96, 11, instance, 255);

    /// <summary>Disconnect control, 0-0:96.3.10.255.</summary>
    public static ObisCode DisconnectControl { get; } = new(0, 0, 96, 3, 10, 255);
}
