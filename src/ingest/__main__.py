from .cleancmd import main

main()
