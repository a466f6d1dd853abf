using Smets1Sim.Policy.Model;

namespace Smets1Sim.Policy.Policies;

/// <summary>
/// The two policies the DCC consultation of 22 October 2021 ("Consultation on the SMETS1 Cryptographic Key
/// Management Policy") sets side by side.
/// </summary>
public static class BuiltInPolicies
{
    private static readonly IReadOnlySet<KeyKind> EkAndAk = new HashSet<KeyKind> { KeyKind.EK, KeyKind.AK };

    private static readonly IReadOnlySet<string> AllTypes = new HashSet<string>(Model.DeviceTypes.All, StringComparer.Ordinal);

    /// <summary>
    /// <c>s1sr-20</c>: S1SR (SEC Appendix AM) section 20 before the 2021 change. The consultation, section 2.3,
    /// quotes it: "As soon as reasonably practicable (and in any event within 7 days) following the Commissioning
    /// of a SMETS1 Communications Hub Function or a SMETS1 Smart Meter or a SMETS1 Gas Proxy Function or a SMETS1
    /// PPMID and at intervals no greater than 15 months thereafter, the S1SP shall, via the DCO, in relation to
    /// each such Device and where supported by that Device, regenerate and replace any Authentication Keys and
    /// any Encryption Keys (with their DLMS COSEM meanings) held by that Device."
    /// </summary>
    public static KeyPolicy S1sr20 { get; } = new(
        "s1sr-20",
        "S1SR section 20: EK and AK replaced within 7 days of commissioning, then at intervals of no more than 15 months",
        [
            new PolicyRule(
                "s1sr-20-ek-ak",
                "S1SR (SEC Appendix AM) section 20",
                "Regenerate and replace the Authentication and Encryption Keys of a CHF, Smart Meter, GPF or PPMID, "
                + "where supported, within 7 days following Commissioning and at intervals no greater than 15 months thereafter.",
                EkAndAk,
                AllTypes,
                PolicyPeriod.FromDays(7),
                PolicyPeriod.FromMonths(15),
                []),
        ]);

    /// <summary>
    /// <c>ckmp</c>: the SMETS1 Cryptographic Key Management Policy (SEC Appendix AT, drafted under SEC section L14.7).
    /// The consultation, section 2, keeps the post-commissioning obligation and drops periodic rotation: "subject
    /// to meeting SMETS1 post commissioning obligations on key rotation following enrolment, the defined SMETS1
    /// symmetric keys should not be subject to a 15 month (or any other period) periodic rotation", and section 2.3
    /// removes "at intervals no greater than 15 months thereafter" from S1SR section 20. (The seed's text of 2.3 is
    /// a plain-text extraction that lost the strike-through, which is why it still shows the 15 months.)
    /// </summary>
    public static KeyPolicy Ckmp { get; } = new(
        "ckmp",
        "SMETS1 CKMP (2021): EK and AK replaced within 7 days of commissioning, no periodic rotation",
        [
            new PolicyRule(
                "ckmp-post-commissioning",
                "SMETS1 CKMP (SEC Appendix AT, SEC L14.7); S1SR section 20 as amended",
                "Regenerate and replace the Authentication and Encryption Keys of a CHF, Smart Meter, GPF or PPMID, "
                + "where supported, within 7 days following Commissioning; no periodic rotation.",
                EkAndAk,
                AllTypes,
                PolicyPeriod.FromDays(7),
                null,
                []),
        ]);

    /// <summary>Both, by name.</summary>
    public static IReadOnlyList<KeyPolicy> All { get; } = [S1sr20, Ckmp];

    /// <summary>Finds a built-in policy by name (case-insensitive).</summary>
    public static KeyPolicy? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
