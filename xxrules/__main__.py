from xxrules.cli.app import main

main()
