namespace Smets1Sim.Dlms.Security;

/// <summary>The envelope families of a ciphered xDLMS APDU this library reads and writes.</summary>
public enum CipheredApduKind
{
    /// <summary>glo-xxx: a service-specific tag (e.g. 0xC8 glo-get-request), global key; <c>tag | len | body</c>.</summary>
    ServiceSpecificGlobal = 1,

    /// <summary>ded-xxx: a service-specific tag (e.g. 0xD0 ded-get-request), dedicated key; <c>tag | len | body</c>.</summary>
    ServiceSpecificDedicated = 2,

    /// <summary>general-glo-ciphering, <c>DB | 08 | system title | len | body</c>.</summary>
    GeneralGlobal = 0xDB,

    /// <summary>general-ded-ciphering, <c>DC | 08 | system title | len | body</c>.</summary>
    GeneralDedicated = 0xDC,
}
