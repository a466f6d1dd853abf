using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>
/// Disconnect control (class 70, Blue Book 4.5.8): output_state (boolean), control_state (enum 0 disconnected,
/// 1 connected, 2 ready_for_reconnection), control_mode (enum). remote_disconnect (1) opens the supply;
/// remote_reconnect (2) closes it, or only arms it (ready_for_reconnection) in modes 2 and 4 where a local action
/// completes the reconnection.
/// </summary>
public sealed class DisconnectControlObject(CosemClassInfo info, ObisCode logicalName, IReadOnlyDictionary<int, DlmsValue> initialValues)
    : AttributeBagObject(info, logicalName, WithDefaults(initialValues), readOnlyAttributes: [2, 3])
    // output_state and control_state change only through the methods, and are persisted like any state.
{
    private static Dictionary<int, DlmsValue> WithDefaults(IReadOnlyDictionary<int, DlmsValue> values)
    {
        var all = values.ToDictionary(p => p.Key, p => p.Value);
        all.TryAdd(2, new DlmsBoolean(true));
        all.TryAdd(3, new DlmsEnum(1));
        all.TryAdd(4, new DlmsEnum(1));
        return all;
    }

    /// <inheritdoc />
    protected override ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
    {
        byte mode = Value(4) is DlmsEnum m ? m.Value : (byte)1;
        if (mode == 0)
        {
            return ActionOutcome.Failure(ActionResult.TemporaryFailure); // mode 0: always connected
        }

        if (methodId == 1)
        {
            Store(2, new DlmsBoolean(false));
            Store(3, new DlmsEnum(0));
        }
        else
        {
            bool localStep = mode is 2 or 4;
            Store(2, new DlmsBoolean(!localStep));
            Store(3, new DlmsEnum(localStep ? (byte)2 : (byte)1));
        }

        return ActionOutcome.Success();
    }
}

/// <summary>
/// Account (111), Credit (112), Charge (113) and Token gateway (115) of the Blue Book payment metering classes:
/// every attribute stored and writable with type checks, and the methods' plain effects on those attributes.
/// </summary>
public sealed class PaymentObject(CosemClassInfo info, ObisCode logicalName, IReadOnlyDictionary<int, DlmsValue> initialValues)
    : AttributeBagObject(info, logicalName, initialValues)
{
    /// <inheritdoc />
    protected override ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
    {
        switch (ClassId, methodId)
        {
            // Account: activate_account / close_account / reset_account set account_mode_and_status {mode, status}.
            case (111, 1 or 2 or 3):
                byte mode = Value(2) is DlmsStructure { Items: [DlmsEnum m, ..] } ? m.Value : (byte)1;
                byte status = methodId switch { 1 => 2, 2 => 3, _ => 1 }; // active, closed, new
                Store(2, DlmsValue.Structure(new DlmsEnum(mode), new DlmsEnum(status)));
                return ActionOutcome.Success();

            // Credit: update_amount (add), set_amount_to_value (set), invoke_credit (credit_status in use).
            case (112, 1 or 2) when parameters is DlmsDoubleLong amount:
                long current = Value(2) is DlmsDoubleLong c ? c.Value : 0;
                long next = methodId == 1 ? current + amount.Value : amount.Value;
                if (next is < int.MinValue or > int.MaxValue)
                {
                    return ActionOutcome.Failure(ActionResult.OtherReason); // would overflow double-long
                }

                Store(2, new DlmsDoubleLong((int)next));
                return ActionOutcome.Success();
            case (112, 3):
                Store(8, new DlmsEnum(2)); // credit_status (attribute 8): (2) selected/invoked
                return ActionOutcome.Success();

            // Charge: collect (1), update_unit_charge (2), activate_passive_unit_charge (3), ... accepted as recorded.
            case (113, >= 1 and <= 5):
                return ActionOutcome.Success();

            // Token gateway enter: the token (octet-string) becomes attribute 2, its time attribute 3.
            case (115, 1) when parameters is DlmsOctetString token:
                Store(2, token);
                Store(3, new DlmsDateTime(CosemDateTime.FromDateTimeOffset(context.Time.GetUtcNow())));
                return ActionOutcome.Success();

            default:
                return ActionOutcome.Failure(ActionResult.TypeUnmatched);
        }
    }
}
