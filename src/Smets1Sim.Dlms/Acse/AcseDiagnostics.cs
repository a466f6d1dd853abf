namespace Smets1Sim.Dlms.Acse;

/// <summary>The acse-service-user alternative of the AARE result-source-diagnostic (ISO/IEC 8650-1).</summary>
public enum AcseServiceUserDiagnostic : byte
{
    /// <summary>null.</summary>
    Null = 0,

    /// <summary>no-reason-given.</summary>
    NoReasonGiven = 1,

    /// <summary>application-context-name-not-supported.</summary>
    ApplicationContextNameNotSupported = 2,

    /// <summary>calling-AP-title-not-recognized.</summary>
    CallingApTitleNotRecognized = 3,

    /// <summary>calling-AP-invocation-identifier-not-recognized.</summary>
    CallingApInvocationIdentifierNotRecognized = 4,

    /// <summary>calling-AE-qualifier-not-recognized.</summary>
    CallingAeQualifierNotRecognized = 5,

    /// <summary>calling-AE-invocation-identifier-not-recognized.</summary>
    CallingAeInvocationIdentifierNotRecognized = 6,

    /// <summary>called-AP-title-not-recognized.</summary>
    CalledApTitleNotRecognized = 7,

    /// <summary>called-AP-invocation-identifier-not-recognized.</summary>
    CalledApInvocationIdentifierNotRecognized = 8,

    /// <summary>called-AE-qualifier-not-recognized.</summary>
    CalledAeQualifierNotRecognized = 9,

    /// <summary>called-AE-invocation-identifier-not-recognized.</summary>
    CalledAeInvocationIdentifierNotRecognized = 10,

    /// <summary>authentication-mechanism-name-not-recognised.</summary>
    AuthenticationMechanismNameNotRecognised = 11,

    /// <summary>authentication-mechanism-name-required.</summary>
    AuthenticationMechanismNameRequired = 12,

    /// <summary>authentication-failure.</summary>
    AuthenticationFailure = 13,

    /// <summary>authentication-required: with result accepted, the server asks for HLS passes 3 and 4.</summary>
    AuthenticationRequired = 14,
}

/// <summary>The acse-service-provider alternative of the AARE result-source-diagnostic (ISO/IEC 8650-1).</summary>
public enum AcseServiceProviderDiagnostic : byte
{
    /// <summary>null.</summary>
    Null = 0,

    /// <summary>no-reason-given.</summary>
    NoReasonGiven = 1,

    /// <summary>no-common-acse-version.</summary>
    NoCommonAcseVersion = 2,
}
