/**
 * Compilation targets: the Ethos-U accelerator configurations ({@link npuc.arch.Accelerator}), system configs
 * and memory modes read from Vela-format configuration files ({@link npuc.arch.ConfigFile}, with a built-in
 * copy of the file Vela ships), and their resolution into a {@link npuc.arch.Target} by
 * {@link npuc.arch.Targets#resolve}, choosing defaults as vela's command line does.
 */
package npuc.arch;
