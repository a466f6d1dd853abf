using System.Collections.Frozen;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem;

/// <summary>Shape of one supported interface class: version, attribute count and method count (Blue Book 4.x).</summary>
public sealed record CosemClassInfo(ushort ClassId, string Name, byte Version, int AttributeCount, int MethodCount);

/// <summary>
/// The interface classes this simulator implements. Profiles are checked against it, and each
/// <see cref="CosemObject"/> subclass reports the same shape.
/// </summary>
public static class CosemClassCatalog
{
    private static readonly FrozenDictionary<ushort, CosemClassInfo> Classes = new CosemClassInfo[]
    {
        new(CosemClassIds.Data, "Data", 0, 2, 0),                       // Blue Book 4.3.1
        new(CosemClassIds.Register, "Register", 0, 3, 1),                   // 4.3.2: reset
        new(CosemClassIds.ExtendedRegister, "Extended register", 0, 5, 1),          // 4.3.3: reset
        new(CosemClassIds.ProfileGeneric, "Profile generic", 1, 8, 2),            // 4.3.6: reset, capture
        new(CosemClassIds.Clock, "Clock", 0, 9, 6),                      // 4.5.1: adjust_to_quarter .. shift_time
        new(CosemClassIds.AssociationLn, "Association LN", 1, 9, 4),            // 4.4.3: reply_to_HLS_authentication, change_HLS_secret, add_object, remove_object
        new(CosemClassIds.SapAssignment, "SAP assignment", 0, 2, 1),            // 4.4.5: connect_logical_device
        new(CosemClassIds.PushSetup, "Push setup", 0, 7, 1),                // 4.4.8: push
        new(CosemClassIds.SecuritySetup, "Security setup", 1, 6, 8),            // 4.4.7 v1: security_activate, key_transfer, ...
        new(CosemClassIds.DisconnectControl, "Disconnect control", 0, 4, 2),        // 4.5.8: remote_disconnect, remote_reconnect
        new(CosemClassIds.Account, "Account", 0, 19, 3),                 // 4.6.2: activate_account, close_account, reset_account
        new(CosemClassIds.Credit, "Credit", 0, 11, 3),                  // 4.6.3: update_amount, set_amount_to_value, invoke_credit
        new(CosemClassIds.Charge, "Charge", 0, 13, 5),                  // 4.6.4: update_unit_charge .. set_total_amount_remaining
        new(CosemClassIds.TokenGateway, "Token gateway", 0, 6, 1),            // 4.6.5: enter
    }.ToFrozenDictionary(c => c.ClassId);

    /// <summary>Every supported class.</summary>
    public static IEnumerable<CosemClassInfo> All => Classes.Values.OrderBy(c => c.ClassId);

    /// <summary>Looks up a class id.</summary>
    public static bool TryGet(ushort classId, out CosemClassInfo info) => Classes.TryGetValue(classId, out info!);
}
