//! `antipasta`: parse the command line, run, exit with the run's code.

fn main() -> std::process::ExitCode {
    antipasta::cli_main()
}
