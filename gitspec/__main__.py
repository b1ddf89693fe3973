from gitspec.cli import main

raise SystemExit(main())
