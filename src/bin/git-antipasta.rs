//! `git-antipasta`: the same program, so that `git antipasta ...` works once it
//! is on PATH.

fn main() -> std::process::ExitCode {
    antipasta::cli_main()
}
