// Composition root of the smets1sim command; the commands arrive with the simulated devices.
Console.Error.WriteLine("smets1sim: no commands yet (the protocol core is built; devices come next)");
return 2;
