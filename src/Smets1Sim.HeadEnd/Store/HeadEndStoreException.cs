namespace Smets1Sim.HeadEnd.Store;

/// <summary>Why the key store cannot be used.</summary>
public enum StoreFailure
{
    /// <summary>No master key was given (neither the environment variable nor a key file).</summary>
    MasterKeyMissing = 1,

    /// <summary>The master key given is not 64 hex digits, or its file cannot be read.</summary>
    MasterKeyUnreadable = 2,

    /// <summary>The master key given is not the one the store was created with.</summary>
    WrongMasterKey = 3,

    /// <summary>The store was written by a newer head-end (a schema this one does not know).</summary>
    NewerSchema = 4,

    /// <summary>The file is not a head-end store, or a stored key does not authenticate (altered or moved).</summary>
    Corrupt = 5,

    /// <summary>A device id the store does not hold.</summary>
    UnknownDevice = 6,
}

/// <summary>The key store cannot do what was asked; the message is one line that says what and where.</summary>
public sealed class HeadEndStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HeadEndStoreException(StoreFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What went wrong.</summary>
    public StoreFailure Failure { get; }
}
