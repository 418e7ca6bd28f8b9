"""Classes and pupils: the class list, roster dialogs and the pupil picker."""
