from gitspec.daemonclient import main

raise SystemExit(main())
