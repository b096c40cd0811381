"""`python -m gateway ...`: the `partner-gateway` command, run from the code beside it (the benchmark
starts its servers so, to measure its own checkout whatever `partner-gateway` an install put first)."""

from gateway.cli import main

if __name__ == "__main__":
    main()
